//! Transactional mail: templates on disk, an async SMTP transport for the
//! hot path, the sync one for the nightly digest job, and a spool directory
//! for messages that could not be delivered.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};

use lettre::message::{header::ContentType, Mailbox, Message};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, SmtpTransport, Tokio1Executor, Transport};
use tokio::task;

pub struct Templates {
    dir: PathBuf,
    cache: Mutex<HashMap<String, String>>,
}

impl Templates {
    pub async fn render(&self, name: &str, vars: &HashMap<&str, String>) -> std::io::Result<String> {
        let cached = self.cache.lock().unwrap().get(name).cloned(); //~ lock
        let raw = match cached {
            Some(t) => t,
            None => {
                let t = tokio::fs::read_to_string(self.dir.join(name)).await?; //~ ok(fs)
                self.cache.lock().unwrap().insert(name.to_owned(), t.clone()); //~ lock
                t
            }
        };
        Ok(vars.iter().fold(raw, |acc, (k, v)| acc.replace(&format!("{{{{{k}}}}}"), v)))
    }

    pub async fn reload(&self) -> std::io::Result<usize> {
        let dir = self.dir.clone();
        let fresh = task::spawn_blocking(move || -> std::io::Result<HashMap<String, String>> {
            let mut m = HashMap::new();
            for e in std::fs::read_dir(&dir)? { //~ ok(fs)
                let p = e?.path();
                m.insert(p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&p)?); //~ ok(fs)
            }
            Ok(m)
        })
        .await
        .expect("reload task")?;
        let n = fresh.len();
        *self.cache.lock().unwrap() = fresh; //~ lock
        Ok(n)
    }
}

pub struct Mailer {
    fast: AsyncSmtpTransport<Tokio1Executor>,
    slow: SmtpTransport,
    spool: PathBuf,
    from: Mailbox,
    in_flight: Arc<(Mutex<usize>, Condvar)>,
}

impl Mailer {
    pub fn new(host: &str, user: String, pass: String, spool: PathBuf) -> anyhow::Result<Self> {
        let creds = Credentials::new(user, pass);
        Ok(Mailer {
            fast: AsyncSmtpTransport::<Tokio1Executor>::relay(host)?.credentials(creds.clone()).build(),
            slow: SmtpTransport::relay(host)?.credentials(creds).build(),
            spool,
            from: "noreply@shop.example".parse()?,
            in_flight: Arc::new((Mutex::new(0), Condvar::new())),
        })
    }

    pub async fn send_receipt(&self, to: Mailbox, html: String) -> anyhow::Result<()> {
        let msg = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject("Your receipt")
            .header(ContentType::TEXT_HTML)
            .body(html)?;
        match self.fast.send(msg.clone()).await { //~ ok(http_blocking)
            Ok(_) => Ok(()),
            Err(e) => {
                tracing::warn!(error = %e, "smtp failed, spooling");
                let path = self.spool.join(format!("{}.eml", uuid::Uuid::new_v4()));
                std::fs::write(&path, msg.formatted())?; //~ fs
                Ok(())
            }
        }
    }

    pub async fn send_urgent(&self, msg: Message) -> anyhow::Result<()> {
        self.slow.send(&msg)?; //~ net
        Ok(())
    }

    pub async fn flush_spool(self: Arc<Self>) -> anyhow::Result<usize> {
        let me = self.clone();
        task::spawn_blocking(move || {
            let mut sent = 0;
            for entry in std::fs::read_dir(&me.spool)? { //~ ok(fs)
                let path = entry?.path();
                let raw = std::fs::read(&path)?; //~ ok(fs)
                let env = lettre::address::Envelope::new(Some(me.from.email.clone()), vec![])?;
                me.slow.send_raw(&env, &raw)?; //~ ok(net)
                std::fs::remove_file(&path)?; //~ ok(fs)
                sent += 1;
            }
            Ok(sent)
        })
        .await?
    }

    pub async fn wait_idle(&self) {
        let (lock, cvar) = &*self.in_flight;
        let mut n = lock.lock().unwrap(); //~ lock
        while *n > 0 {
            n = cvar.wait(n).unwrap(); //~ thread_join
        }
    }

    pub async fn spool_len(&self) -> usize {
        let spool: &Path = &self.spool;
        if !spool.is_dir() { //~ fs
            return 0;
        }
        let mut n = 0;
        let mut rd = tokio::fs::read_dir(spool).await.unwrap(); //~ ok(fs)
        while let Ok(Some(_)) = rd.next_entry().await {
            n += 1;
        }
        n
    }
}
