//! GraphQL API for a library catalogue: async-graphql resolvers with dataloaders
//! backed by a sync postgres pool (r2d2) and an in-process author cache.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

use async_graphql::dataloader::{DataLoader, Loader};
use async_graphql::{Context, Object, Result as GqlResult, SimpleObject};
use r2d2::Pool;
use r2d2_postgres::{postgres::NoTls, PostgresConnectionManager};
use tokio::sync::Semaphore;

type PgPool = Pool<PostgresConnectionManager<NoTls>>;

#[derive(Clone, SimpleObject)]
pub struct Author {
    id: i32,
    name: String,
}

#[derive(Clone, SimpleObject)]
pub struct Book {
    id: i32,
    title: String,
    author_id: i32,
}

pub struct AuthorLoader {
    pool: PgPool,
    hits: Arc<Mutex<u64>>,
    cache: RwLock<HashMap<i32, Author>>,
}

fn row_to_author(row: &postgres::Row) -> Author {
    Author { id: row.get(0), name: row.get(1) } //~ ok(db), ok(db)
}

#[async_trait::async_trait]
impl Loader<i32> for AuthorLoader {
    type Value = Author;
    type Error = Arc<String>;

    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Author>, Self::Error> {
        let mut out = HashMap::new();
        {
            let cache = self.cache.read().unwrap(); //~ lock
            for k in keys {
                if let Some(a) = cache.get(k) { //~ ok(db)
                    out.insert(*k, a.clone());
                }
            }
        }
        *self.hits.lock().unwrap() += out.len() as u64; //~ lock
        let missing: Vec<i32> = keys.iter().copied().filter(|k| !out.contains_key(k)).collect();
        if missing.is_empty() {
            return Ok(out);
        }
        let mut conn = self.pool.get().map_err(|e| Arc::new(e.to_string()))?; //~ db
        let rows = conn
            .query("SELECT id, name FROM authors WHERE id = ANY($1)", &[&missing]) //~ miss(db)
            .map_err(|e| Arc::new(e.to_string()))?;
        let mut w = self.cache.write().unwrap(); //~ lock
        for row in &rows {
            let a = row_to_author(row);
            w.insert(a.id, a.clone());
            out.insert(a.id, a);
        }
        Ok(out)
    }
}

pub struct BookLoader {
    pool: PgPool,
}

#[async_trait::async_trait]
impl Loader<i32> for BookLoader {
    type Value = Vec<Book>;
    type Error = Arc<String>;

    async fn load(&self, author_ids: &[i32]) -> Result<HashMap<i32, Vec<Book>>, Self::Error> {
        let pool = self.pool.clone();
        let ids = author_ids.to_vec();
        let rows = tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().unwrap(); //~ ok(db)
            conn.query("SELECT id, title, author_id FROM books WHERE author_id = ANY($1)", &[&ids]) //~ ok(db)
        })
        .await
        .unwrap()
        .map_err(|e| Arc::new(e.to_string()))?;
        let mut out: HashMap<i32, Vec<Book>> = HashMap::new();
        for r in rows {
            let b = Book { id: r.get(0), title: r.get(1), author_id: r.get(2) }; //~ ok(db), ok(db), ok(db)
            out.entry(b.author_id).or_default().push(b);
        }
        Ok(out)
    }
}

pub struct QueryRoot;

#[Object]
impl QueryRoot {
    async fn author(&self, ctx: &Context<'_>, id: i32) -> GqlResult<Option<Author>> {
        let loader = ctx.data_unchecked::<DataLoader<AuthorLoader>>();
        Ok(loader.load_one(id).await?) //~ ok(db)
    }

    async fn books(&self, ctx: &Context<'_>, author_id: i32) -> GqlResult<Vec<Book>> {
        let loader = ctx.data::<DataLoader<BookLoader>>()?;
        let limit = ctx.data::<Arc<Semaphore>>()?;
        let _permit = limit.acquire().await?;
        Ok(loader.load_one(author_id).await?.unwrap_or_default()) //~ ok(db)
    }

    async fn book_count(&self, ctx: &Context<'_>) -> GqlResult<i64> {
        let pool = ctx.data::<PgPool>()?;
        let mut client = pool.get()?; //~ miss(db)
        let row = client.query_one("SELECT count(*) FROM books", &[])?; //~ miss(db)
        Ok(row.get(0)) //~ ok(db)
    }

    async fn top_titles(&self, ctx: &Context<'_>, n: i64) -> GqlResult<Vec<String>> {
        let pool: &PgPool = ctx.data()?;
        let mut conn = pool.get()?; //~ db
        let mut titles = Vec::new();
        for row in conn.query("SELECT title FROM books ORDER BY rating DESC LIMIT $1", &[&n])? { //~ miss(db)
            titles.push(row.get::<_, String>(0)); //~ ok(db)
        }
        Ok(titles)
    }

    async fn health(&self, ctx: &Context<'_>) -> bool {
        let stats = ctx.data_unchecked::<Arc<Mutex<u64>>>();
        let ok = stats.try_lock().is_ok(); //~ ok(lock)
        tracing::debug!(ok, "health probe");
        ok
    }
}

pub fn build_schema(pool: PgPool) -> async_graphql::Schema<QueryRoot, async_graphql::EmptyMutation, async_graphql::EmptySubscription> {
    let authors = AuthorLoader { pool: pool.clone(), hits: Arc::default(), cache: RwLock::new(HashMap::new()) };
    let warm = pool.get().expect("db up"); //~ ok(db)
    drop(warm);
    async_graphql::Schema::build(QueryRoot, Default::default(), Default::default())
        .data(DataLoader::new(authors, tokio::spawn))
        .data(DataLoader::new(BookLoader { pool: pool.clone() }, tokio::spawn))
        .data(pool)
        .finish()
}
