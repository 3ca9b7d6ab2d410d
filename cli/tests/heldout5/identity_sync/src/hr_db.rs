use std::collections::HashSet;

use mysql::prelude::Queryable;
use mysql::{params, Opts, Pool, TxOpts};

use crate::ldap_source::Person;

pub struct HrDb {
    pool: Pool,
}

impl HrDb {
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        let opts = Opts::from_url(url)?; //~ ok(db)
        let pool = Pool::new(opts)?; //~ db
        Ok(Self { pool })
    }

    pub async fn upsert_people(&self, people: &[Person]) -> anyhow::Result<()> {
        let mut conn = self.pool.get_conn()?; //~ db
        let mut tx = conn.start_transaction(TxOpts::default())?; //~ db
        tx.exec_batch( //~ db
            "INSERT INTO employees (uid, name, email, dept, active) \
             VALUES (:uid, :name, :email, :dept, 1) \
             ON DUPLICATE KEY UPDATE name = VALUES(name), email = VALUES(email), \
             dept = VALUES(dept), active = 1",
            people.iter().map(|p| {
                params! {
                    "uid" => &p.uid,
                    "name" => &p.name,
                    "email" => &p.email,
                    "dept" => &p.dept,
                }
            }),
        )?;
        tx.commit()?; //~ db
        Ok(())
    }

    pub async fn departed(&self, active: &HashSet<String>) -> anyhow::Result<Vec<String>> {
        let mut conn = self.pool.get_conn()?; //~ db
        let current: Vec<String> = conn.query("SELECT uid FROM employees WHERE active = 1")?; //~ db
        Ok(current.into_iter().filter(|uid| !active.contains(uid)).collect())
    }

    pub async fn manager_of(&self, uid: &str) -> anyhow::Result<Option<String>> {
        let mut conn = self.pool.get_conn()?; //~ db
        let manager = conn.exec_first( //~ db
            "SELECT m.uid FROM employees e JOIN employees m ON e.manager_id = m.id WHERE e.uid = ?",
            (uid,),
        )?;
        Ok(manager)
    }

    pub fn deactivate(&self, uids: &[String]) -> anyhow::Result<u64> {
        let mut conn = self.pool.get_conn()?;
        conn.exec_batch(
            "UPDATE employees SET active = 0 WHERE uid = ?",
            uids.iter().map(|uid| (uid,)),
        )?;
        Ok(conn.affected_rows())
    }
}
