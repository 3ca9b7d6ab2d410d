use std::path::Path;

use heed::types::{SerdeJson, Str};
use heed::{CommitOrAbort, Database, Env, EnvOpenOptions};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Profile {
    pub display_name: String,
    pub locale: String,
    pub avatar_url: Option<String>,
}

pub struct ProfileCache {
    env: &'static Env,
    profiles: Database<'static, Str, SerdeJson<Profile>>,
}

impl ProfileCache {
    pub async fn open(dir: &Path) -> anyhow::Result<Self> {
        tokio::fs::create_dir_all(dir).await?; //~ ok(fs)
        let env = unsafe {
            EnvOpenOptions::new()
                .map_size(256 * 1024 * 1024)
                .max_dbs(4)
                .open(dir)? //~ db
        };
        let env: &'static Env = Box::leak(Box::new(env));
        let wtxn = env.write_txn()?; //~ db
        let profiles = env
            .create_databases_and_commit(wtxn, |opener, wtxn| { //~ db
                opener
                    .create_database::<Str, SerdeJson<Profile>>(wtxn, Some("profiles"))
                    .map(CommitOrAbort::<_, ()>::Commit)
            })?
            .unwrap_commit();
        Ok(Self { env, profiles })
    }

    pub async fn put(&self, user: &str, profile: &Profile) -> anyhow::Result<()> {
        let mut wtxn = self.env.write_txn()?; //~ db
        self.profiles.put(&mut wtxn, user, profile)?; //~ db
        wtxn.commit()?; //~ db
        Ok(())
    }

    pub async fn get(&self, user: &str) -> anyhow::Result<Option<Profile>> {
        let env = self.env;
        let profiles = self.profiles;
        tokio::task::block_in_place(move || {
            let rtxn = env.read_txn()?;
            let found = profiles.get(&rtxn, user)?; //~ ok(db)
            Ok(found)
        })
    }

    pub async fn sync_to_disk(&self) -> anyhow::Result<()> {
        self.env.force_sync()?; //~ db
        Ok(())
    }
}
