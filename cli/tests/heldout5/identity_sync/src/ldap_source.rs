use std::collections::HashSet;
use std::time::Duration;

use ldap3::{LdapConn, LdapConnAsync, LdapConnSettings, Mod, Scope, SearchEntry};
use serde::{Deserialize, Serialize};

use crate::LdapConfig;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Person {
    pub uid: String,
    pub name: String,
    pub email: String,
    pub dept: String,
}

impl Person {
    pub fn from_entry(entry: SearchEntry) -> Option<Person> {
        let first = |attr: &str| entry.attrs.get(attr).and_then(|v| v.first()).cloned();
        Some(Person {
            uid: first("uid")?,
            name: first("cn").unwrap_or_default(),
            email: first("mail").unwrap_or_default(),
            dept: first("departmentNumber").unwrap_or_else(|| "unassigned".to_string()),
        })
    }

    pub fn cache_key(uid: &str) -> String {
        format!("person:{uid}")
    }
}

const FILTER: &str = "(&(objectClass=inetOrgPerson)(!(pwdAccountLockedTime=*)))";
const ATTRS: [&str; 4] = ["uid", "cn", "mail", "departmentNumber"];

pub async fn fetch_people(cfg: &LdapConfig) -> anyhow::Result<Vec<Person>> {
    let settings = LdapConnSettings::new().set_conn_timeout(Duration::from_secs(10)); //~ ok(net)
    let mut ldap = LdapConn::with_settings(settings, &cfg.url)?; //~ net
    ldap.simple_bind(&cfg.bind_dn, &cfg.bind_pw)?.success()?; //~ net
    let (entries, _res) = ldap.search(&cfg.base_dn, Scope::Subtree, FILTER, ATTRS.to_vec())?.success()?; //~ net
    let people = entries
        .into_iter()
        .map(SearchEntry::construct)
        .filter_map(Person::from_entry)
        .collect();
    ldap.unbind()?; //~ net
    Ok(people)
}

pub async fn fetch_people_async(cfg: &LdapConfig) -> anyhow::Result<Vec<Person>> {
    let (conn, mut ldap) = LdapConnAsync::new(&cfg.url).await?; //~ ok(net)
    ldap3::drive!(conn);
    ldap.simple_bind(&cfg.bind_dn, &cfg.bind_pw).await?.success()?; //~ ok(net)
    let (entries, _res) = ldap.search(&cfg.base_dn, Scope::Subtree, FILTER, ATTRS.to_vec()).await?.success()?; //~ ok(net)
    let people = entries
        .into_iter()
        .map(SearchEntry::construct)
        .filter_map(Person::from_entry)
        .collect();
    ldap.unbind().await?; //~ ok(net)
    Ok(people)
}

fn lock_accounts(cfg: &LdapConfig, uids: &[String]) -> anyhow::Result<usize> {
    let mut ldap = LdapConn::new(&cfg.url)?;
    ldap.simple_bind(&cfg.bind_dn, &cfg.bind_pw)?.success()?;
    for uid in uids {
        let dn = format!("uid={},{}", ldap3::dn_escape(uid), cfg.base_dn);
        let change = Mod::Replace("pwdAccountLockedTime", HashSet::from(["000001010000Z"]));
        ldap.modify(&dn, vec![change])?.success()?;
    }
    ldap.unbind()?;
    Ok(uids.len())
}

pub async fn disable_accounts(cfg: LdapConfig, uids: Vec<String>) -> anyhow::Result<usize> {
    tokio::task::spawn_blocking(move || lock_accounts(&cfg, &uids)).await? //~ ok(net)
}
