use std::path::{Path, PathBuf};

use sled::{Db, IVec, Tree};

use super::{decode, encode, session_key, user_key, Session, SessionStore};

pub struct SledStore {
    db: Db,
    sessions: Tree,
    by_user: Tree,
    root: PathBuf,
}

impl SledStore {
    pub fn open(path: impl AsRef<Path>) -> anyhow::Result<Self> {
        let root = path.as_ref().to_path_buf();
        let db = sled::Config::new()
            .path(&root)
            .cache_capacity(64 * 1024 * 1024)
            .flush_every_ms(Some(500))
            .open()?;
        let sessions = db.open_tree("sessions")?;
        let by_user = db.open_tree("by_user")?;
        Ok(Self {
            db,
            sessions,
            by_user,
            root,
        })
    }

    pub async fn expire_before(&self, cutoff: i64) -> anyhow::Result<usize> {
        let entries: Vec<(IVec, IVec)> = self.sessions.iter().collect::<Result<_, _>>()?; //~ db
        let mut removed = 0;
        for (key, value) in entries {
            let session = decode(&value)?;
            if session.expires_at < cutoff {
                self.sessions.remove(&key)?; //~ db
                self.by_user.remove(user_key(session.user_id, &session.id))?; //~ db
                removed += 1;
            }
        }
        if removed > 0 {
            self.db.flush_async().await?; //~ ok(db)
        }
        Ok(removed)
    }

    pub async fn touch(&self, id: &str, new_expiry: i64) -> anyhow::Result<bool> {
        let key = session_key(id);
        let updated = self.sessions.update_and_fetch(&key, |old| { //~ db
            let mut session = decode(old?).ok()?;
            session.expires_at = new_expiry;
            encode(&session).ok()
        })?;
        Ok(updated.is_some())
    }

    pub async fn open_scratch(&self, name: &str) -> anyhow::Result<Db> {
        let config = sled::Config::new().path(self.root.join(name)).temporary(true); //~ ok(db)
        let scratch = config.open()?; //~ db
        Ok(scratch)
    }

    pub fn export_json(&self) -> anyhow::Result<Vec<u8>> {
        let mut sessions = Vec::new();
        for item in self.sessions.iter() {
            let (_, value) = item?;
            sessions.push(decode(&value)?);
        }
        Ok(serde_json::to_vec_pretty(&sessions)?)
    }

    pub fn size_on_disk(&self) -> anyhow::Result<u64> {
        Ok(self.db.size_on_disk()?)
    }
}

impl SessionStore for SledStore {
    fn load(&self, id: &str) -> anyhow::Result<Option<Session>> {
        match self.sessions.get(session_key(id))? {
            Some(bytes) => Ok(Some(decode(&bytes)?)),
            None => Ok(None),
        }
    }

    fn save(&self, session: &Session) -> anyhow::Result<()> {
        let bytes = encode(session)?;
        self.sessions.insert(session_key(&session.id), bytes)?;
        self.by_user
            .insert(user_key(session.user_id, &session.id), session.id.as_bytes())?;
        Ok(())
    }

    fn revoke(&self, id: &str) -> anyhow::Result<bool> {
        let Some(bytes) = self.sessions.remove(session_key(id))? else {
            return Ok(false);
        };
        let session = decode(&bytes)?;
        self.by_user.remove(user_key(session.user_id, id))?;
        Ok(true)
    }

    fn sessions_for_user(&self, user_id: u64) -> anyhow::Result<Vec<Session>> {
        let mut out = Vec::new();
        for item in self.by_user.scan_prefix(user_id.to_be_bytes()) {
            let (_, id) = item?;
            let id = String::from_utf8_lossy(&id).into_owned();
            if let Some(session) = self.load(&id)? {
                out.push(session);
            }
        }
        Ok(out)
    }

    fn persist(&self) -> anyhow::Result<usize> {
        Ok(self.db.flush()?)
    }
}
