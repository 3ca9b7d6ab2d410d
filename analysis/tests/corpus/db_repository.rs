// A repository layer over two databases: a sqlx pool (async) for users and
// a diesel connection (sync!) for the audit log, behind a service trait.
use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, Pool};
use sqlx::PgPool;
use std::sync::{Arc, Mutex};

type PgDieselPool = Pool<ConnectionManager<PgConnection>>;

pub struct UserRepo {
    pool: PgPool,
}

pub struct AuditRepo {
    pool: PgDieselPool,
    single: Arc<Mutex<PgConnection>>,
    cache: Arc<tokio::sync::RwLock<Vec<AuditRow>>>,
}

#[derive(Clone)]
pub struct AuditRow {
    pub id: i64,
    pub action: String,
}

impl UserRepo {
    pub async fn find(&self, id: i64) -> sqlx::Result<User> {
        sqlx::query_as::<_, User>("SELECT * FROM users WHERE id = $1")
            .bind(id)
            .fetch_one(&self.pool) //~ ok(net)
            .await
    }

    pub async fn rename(&self, id: i64, name: &str) -> sqlx::Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE users SET name = $1 WHERE id = $2")
            .bind(name)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await
    }

    pub async fn exists(&self, id: i64) -> bool {
        self.find(id).await.is_ok()
    }
}

impl AuditRepo {
    pub async fn recent(&self) -> Vec<AuditRow> {
        let cached = self.cache.read().await; //~ ok(lock)
        if !cached.is_empty() {
            return cached.clone();
        }
        drop(cached);
        let pool = self.pool.clone();
        let rows = tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().expect("pool");
            audit::table.limit(50).load::<(i64, String)>(&mut conn) //~ ok(net)
        })
        .await
        .unwrap()
        .unwrap_or_default();
        let rows: Vec<AuditRow> = rows.into_iter().map(|(id, action)| AuditRow { id, action }).collect();
        *self.cache.write().await = rows.clone(); //~ ok(lock)
        rows
    }

    pub async fn record(&self, action: &str) -> QueryResult<usize> {
        let mut conn = self.single.lock().unwrap(); //~ lock
        diesel::insert_into(audit::table)
            .values(audit::action.eq(action))
            .execute(&mut *conn) //~ db
    }

    pub async fn count(&self) -> i64 {
        let mut conn = self.pool.get().unwrap(); //~ db
        audit::table.count().get_result(&mut conn).unwrap_or(0) //~ db
    }

    pub async fn purge(&self) -> usize {
        let single = Arc::clone(&self.single);
        tokio::task::spawn_blocking(move || {
            let mut conn = single.lock().unwrap(); //~ ok(lock)
            diesel::delete(audit::table).execute(&mut *conn).unwrap_or(0)
        })
        .await
        .unwrap_or(0)
    }
}

#[async_trait::async_trait]
pub trait Repository: Send + Sync {
    async fn load(&self, key: &str) -> Option<String>;
    async fn store(&self, key: &str, value: String);
}

pub struct FileRepo {
    dir: std::path::PathBuf,
}

#[async_trait::async_trait]
impl Repository for FileRepo {
    async fn load(&self, key: &str) -> Option<String> {
        std::fs::read_to_string(self.dir.join(key)).ok() //~ fs
    }

    async fn store(&self, key: &str, value: String) {
        tokio::fs::write(self.dir.join(key), value).await.ok(); //~ ok(fs)
    }
}

pub struct MemRepo {
    map: Mutex<std::collections::HashMap<String, String>>,
}

#[async_trait::async_trait]
impl Repository for MemRepo {
    async fn load(&self, key: &str) -> Option<String> {
        self.map.lock().unwrap().get(key).cloned() //~ lock
    }

    async fn store(&self, key: &str, value: String) {
        self.map.lock().unwrap().insert(key.to_owned(), value); //~ lock
    }
}

pub async fn warm(repo: Arc<dyn Repository>, users: &UserRepo) {
    if users.exists(1).await { //~ ok(fs)
        let v = repo.load("user:1").await; //~ ok(fs)
        repo.store("user:1:seen", v.unwrap_or_default()).await;
    }
}

diesel::table! {
    audit (id) {
        id -> BigInt,
        action -> Text,
    }
}
