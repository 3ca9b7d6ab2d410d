use serde::Serialize;
use sqlite::State;

use super::*;

#[derive(Debug, Clone, Serialize)]
pub struct Account {
    pub id: String,
    pub owner: String,
    pub balance: i64,
}

#[derive(Debug)]
pub enum TransferError {
    Insufficient,
    Unknown(String),
}

impl std::fmt::Display for TransferError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TransferError::Insufficient => write!(f, "insufficient funds"),
            TransferError::Unknown(id) => write!(f, "unknown account {id}"),
        }
    }
}

impl std::error::Error for TransferError {}

impl Ledger {
    pub fn create_account(&self, id: &str, owner: &str) -> anyhow::Result<()> {
        let mut stmt = self.conn.prepare("INSERT INTO accounts (id, owner) VALUES (?, ?)")?;
        stmt.bind((1, id))?;
        stmt.bind((2, owner))?;
        while stmt.next()? != State::Done {}
        Ok(())
    }

    pub fn account(&self, id: &str) -> anyhow::Result<Option<Account>> {
        let mut stmt = self.conn.prepare("SELECT id, owner, balance FROM accounts WHERE id = ?")?;
        stmt.bind((1, id))?;
        if stmt.next()? == State::Row {
            Ok(Some(Account {
                id: stmt.read::<String, _>(0)?,
                owner: stmt.read::<String, _>(1)?,
                balance: stmt.read::<i64, _>(2)?,
            }))
        } else {
            Ok(None)
        }
    }

    pub fn list(&self) -> anyhow::Result<Vec<Account>> {
        let mut stmt = self.conn.prepare("SELECT id, owner, balance FROM accounts ORDER BY id")?;
        let mut out = Vec::new();
        while stmt.next()? == State::Row {
            out.push(Account {
                id: stmt.read::<String, _>("id")?,
                owner: stmt.read::<String, _>("owner")?,
                balance: stmt.read::<i64, _>("balance")?,
            });
        }
        Ok(out)
    }

    pub fn total_balance(&self) -> anyhow::Result<i64> {
        let mut stmt = self.conn.prepare("SELECT COALESCE(SUM(balance), 0) FROM accounts")?;
        stmt.next()?;
        Ok(stmt.read::<i64, _>(0)?)
    }

    /// Moves `amount` between accounts inside one SQLite transaction.
    pub fn transfer(&self, src: &str, dst: &str, amount: i64) -> anyhow::Result<i64> {
        let from = self.account(src)?.ok_or_else(|| TransferError::Unknown(src.into()))?;
        if self.account(dst)?.is_none() {
            return Err(TransferError::Unknown(dst.into()).into());
        }
        if from.balance < amount {
            return Err(TransferError::Insufficient.into());
        }
        self.conn.execute("BEGIN IMMEDIATE")?;
        let res = (|| -> anyhow::Result<i64> {
            let mut debit = self.conn.prepare("UPDATE accounts SET balance = balance - ? WHERE id = ?")?;
            debit.bind((1, amount))?;
            debit.bind((2, src))?;
            debit.next()?;
            let mut credit = self.conn.prepare("UPDATE accounts SET balance = balance + ? WHERE id = ?")?;
            credit.bind((1, amount))?;
            credit.bind((2, dst))?;
            credit.next()?;
            let mut log = self.conn.prepare("INSERT INTO transfers (src, dst, amount) VALUES (?, ?, ?)")?;
            log.bind((1, src))?;
            log.bind((2, dst))?;
            log.bind((3, amount))?;
            log.next()?;
            Ok(from.balance - amount)
        })();
        match res {
            Ok(v) => {
                self.conn.execute("COMMIT")?;
                Ok(v)
            }
            Err(e) => {
                let _ = self.conn.execute("ROLLBACK");
                Err(e)
            }
        }
    }

    pub fn deposit(&self, id: &str, amount: i64) -> anyhow::Result<()> {
        let mut stmt = self.conn.prepare("UPDATE accounts SET balance = balance + ? WHERE id = ?")?;
        stmt.bind((1, amount))?;
        stmt.bind((2, id))?;
        stmt.next()?;
        Ok(())
    }
}
