use chrono::{DateTime, Utc};
use postgres::{Client, GenericClient, NoTls, Row};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Note {
    pub id: i64,
    pub owner: i64,
    pub title: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub password_hash: String,
}

impl From<Row> for Note {
    fn from(r: Row) -> Self {
        Note {
            id: r.get("id"),
            owner: r.get("owner"),
            title: r.get("title"),
            body: r.get("body"),
            created_at: r.get("created_at"),
        }
    }
}

pub fn connect_direct(url: &str) -> Result<Client, postgres::Error> {
    Client::connect(url, NoTls)
}

pub fn run_migrations(conn: &mut Client) -> Result<(), postgres::Error> {
    conn.batch_execute(
        "CREATE TABLE IF NOT EXISTS users (
            id BIGSERIAL PRIMARY KEY, email TEXT UNIQUE NOT NULL, password_hash TEXT NOT NULL);
         CREATE TABLE IF NOT EXISTS notes (
            id BIGSERIAL PRIMARY KEY, owner BIGINT NOT NULL REFERENCES users(id),
            title TEXT NOT NULL, body TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now());",
    )
}

pub fn ping<C: GenericClient>(conn: &mut C) -> Result<(), postgres::Error> {
    conn.simple_query("SELECT 1").map(|_| ())
}

pub fn list_notes(conn: &mut Client, owner: i64, limit: i64) -> Result<Vec<Note>, postgres::Error> {
    let rows = conn.query(
        "SELECT * FROM notes WHERE owner = $1 ORDER BY created_at DESC LIMIT $2",
        &[&owner, &limit],
    )?;
    Ok(rows.into_iter().map(Note::from).collect())
}

pub fn find_note(conn: &mut Client, owner: i64, id: i64) -> Result<Option<Note>, postgres::Error> {
    Ok(conn
        .query_opt("SELECT * FROM notes WHERE id = $1 AND owner = $2", &[&id, &owner])?
        .map(Note::from))
}

pub fn insert_note(conn: &mut Client, owner: i64, title: &str, body: &str) -> Result<Note, postgres::Error> {
    let row = conn.query_one(
        "INSERT INTO notes (owner, title, body) VALUES ($1, $2, $3) RETURNING *",
        &[&owner, &title, &body],
    )?;
    Ok(Note::from(row))
}

pub fn find_user_by_email(conn: &mut Client, email: &str) -> Result<Option<User>, postgres::Error> {
    Ok(conn
        .query_opt("SELECT id, email, password_hash FROM users WHERE email = $1", &[&email])?
        .map(|r| User {
            id: r.get(0),
            email: r.get(1),
            password_hash: r.get(2),
        }))
}

pub fn note_title_slug(title: &str) -> String {
    title
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
        .collect()
}
