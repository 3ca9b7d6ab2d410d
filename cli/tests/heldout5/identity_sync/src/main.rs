//! Identity sync: a worker that mirrors LDAP people into the HR MySQL database, keeps a memcache lookup tier warm and records every run in MongoDB.

mod audit;
mod cache;
mod hr_db;
mod ldap_source;
mod reports;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;

use crate::audit::AuditSink;
use crate::cache::LookupCache;
use crate::hr_db::HrDb;

#[derive(Debug, Clone, Deserialize)]
pub struct LdapConfig {
    pub url: String,
    pub bind_dn: String,
    pub bind_pw: String,
    pub base_dn: String,
    #[serde(default)]
    pub use_async: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Config {
    pub ldap: LdapConfig,
    pub mysql_url: String,
    pub mongo_uri: String,
    pub memcache_url: String,
    pub interval_secs: u64,
}

struct Context {
    cfg: Config,
    hr: Arc<HrDb>,
    cache: LookupCache,
    audit: AuditSink,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt::init();
    let raw = std::env::var("IDENTITY_SYNC_CONFIG")?;
    let cfg: Config = serde_json::from_str(&raw)?;

    let hr = Arc::new(HrDb::connect(&cfg.mysql_url).await?);
    let cache = LookupCache::connect(&cfg.memcache_url).await?;
    let audit = AuditSink::connect(&cfg.mongo_uri).await?;
    if let Some(last) = audit.last_run().await? {
        tracing::info!(?last, "previous run");
    }
    let ctx = Context { cfg, hr, cache, audit };

    let mut ticker = tokio::time::interval(Duration::from_secs(ctx.cfg.interval_secs));
    loop {
        ticker.tick().await;
        if let Err(err) = sync_once(&ctx).await {
            tracing::error!(%err, "sync failed");
            reports::record_failure(&ctx.cfg.mongo_uri, &err.to_string()).await.ok();
        }
    }
}

async fn sync_once(ctx: &Context) -> anyhow::Result<()> {
    let people = if ctx.cfg.ldap.use_async {
        ldap_source::fetch_people_async(&ctx.cfg.ldap).await?
    } else {
        ldap_source::fetch_people(&ctx.cfg.ldap).await?
    };
    ctx.hr.upsert_people(&people).await?;
    for person in people.iter().filter(|p| p.dept == "unassigned") {
        if ctx.cache.get_person(&person.uid).await?.is_none() {
            let manager = ctx.hr.manager_of(&person.uid).await?;
            tracing::warn!(uid = %person.uid, ?manager, "person without department");
            ctx.cache.put_person(person).await?;
        }
    }

    let active: HashSet<String> = people.iter().map(|p| p.uid.clone()).collect();
    let gone = ctx.hr.departed(&active).await?;
    if !gone.is_empty() {
        let affected = ctx.hr.deactivate(&gone)?; //~ db
        tracing::info!(affected, "deactivated departed employees");
        ldap_source::disable_accounts(ctx.cfg.ldap.clone(), gone.clone()).await?;
        for uid in &gone {
            ctx.cache.invalidate(uid).await?;
        }
    }

    cache::warm(&ctx.cache.client, &people)?; //~ db
    let generation = ctx.cache.bump_generation().await?;
    ctx.audit.record_run(people.len(), gone.len(), generation).await?;
    ctx.audit.purge_older_than_days(90).await?;

    let hr = ctx.hr.clone();
    let rechecked = gone.clone();
    tokio::task::spawn_blocking(move || hr.deactivate(&rechecked)).await??; //~ ok(db)

    let headcount = reports::headcount_by_dept(&ctx.cfg.mysql_url).await?;
    tracing::info!(?headcount, "headcount after sync");
    Ok(())
}
