use std::io::Write;
use std::path::PathBuf;
use std::thread;
use std::time::Duration;

use console::{Key, Term};
use maildir::Maildir;
use tracing::{info, warn};

use crate::config::Config;
use crate::inbox::{self, Inbox, Notice};
use crate::render::DigestRenderer;
use crate::sender::{ApiMailer, OutgoingMail};
use crate::state;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Parsing large mailboxes happens on a dedicated thread that streams the
/// notices back over a bounded channel.
fn spawn_parser(dir: PathBuf, tx: loole::Sender<Notice>) -> thread::JoinHandle<usize> {
    thread::spawn(move || {
        let md = Maildir::from(dir);
        let mut parsed = 0;
        for mut entry in md.list_new().flatten() { //~ ok(fs)
            let id = entry.id().to_string();
            if let Ok(mail) = entry.parsed() {
                if tx.send(inbox::notice_from(&id, &mail)).is_err() { //~ ok(channel)
                    break;
                }
                parsed += 1;
            }
        }
        parsed
    })
}

/// Audit trail writer: one line per digest, appended by a plain thread.
fn spawn_audit(path: PathBuf) -> loole::Sender<String> {
    let (tx, rx) = loole::bounded::<String>(8);
    thread::spawn(move || {
        let Ok(mut file) = std::fs::OpenOptions::new().create(true).append(true).open(&path) else { return };
        while let Ok(line) = rx.recv() { //~ ok(channel)
            let _ = writeln!(file, "{line}");
        }
    });
    tx
}

pub async fn run_once(cfg: &Config) -> Result<usize, BoxError> {
    let db = state::open(&cfg.state_file)?; //~ db
    let inbox = Inbox::open(&cfg.maildir); //~ ok(fs)
    if inbox.md.count_new() == 0 { //~ fs
        return Ok(0);
    }

    let (tx, rx) = loole::bounded::<Notice>(256);
    let parser = spawn_parser(cfg.maildir.clone(), tx);
    let already = db.read(|s| s.sent_ids.clone())?; //~ ok(db)
    let mut notices = Vec::new();
    while let Ok(n) = rx.recv_async().await { //~ ok(channel)
        if !already.contains(&n.id) {
            notices.push(n);
        }
    }
    let parsed = parser.join().map_err(|_| "parser thread panicked")?; //~ thread_join
    info!(parsed, fresh = notices.len(), "collected notices");

    let ids: Vec<String> = notices.iter().map(|n| n.id.clone()).collect();
    let groups = inbox::group(notices);
    let renderer = DigestRenderer::load(&cfg.templates)?; //~ fs
    let (html, text) = (renderer.render("digest.html", &groups)?, renderer.render("digest.txt", &groups)?); //~ ok(fs)

    // Never mail addresses the provider has suppressed (bounces, complaints).
    let resp = attohttpc::get(format!("{}/v3/suppressions", cfg.api_base)).bearer_auth(cfg.api_token.clone()).send()?; //~ http_blocking
    let suppressed: Vec<String> = resp.json()?; //~ http_blocking
    let to = cfg.recipients.iter().filter(|r| !suppressed.contains(r)).cloned().collect();
    let mail = OutgoingMail { from: cfg.from.clone(), to, subject: renderer.render("subject", &groups)?, html, text };

    let mailer = ApiMailer::new(&cfg.api_base, &cfg.api_token);
    let (m, msg) = (mailer.clone(), mail.clone());
    let provider_id = match tokio::task::spawn_blocking(move || m.send_blocking(&msg)).await? { //~ ok(http_blocking)
        Ok(id) => id,
        Err(e) => {
            warn!("send failed, retrying once: {e}");
            std::thread::sleep(Duration::from_secs(5)); //~ sleep
            mailer.send_blocking(&mail)? //~ http_blocking
        }
    };

    // Keep a copy in the Sent folder and mark the sources as seen.
    let sent = inbox.md.subfolder(&cfg.sent_folder)?; //~ ok(fs)
    sent.create_dirs()?; //~ fs
    sent.store_cur_with_flags(mail.text.as_bytes(), "S")?; //~ fs
    for id in &ids {
        inbox.md.move_new_to_cur_with_flags(id, "S")?; //~ fs
    }
    db.write(|s| { //~ ok(db)
        s.sent_ids.extend(ids.iter().cloned());
        s.provider_ids.push(provider_id.clone());
    })?;
    db.save()?; //~ db

    let audit = spawn_audit(cfg.state_file.with_extension("audit.log"));
    audit.send(format!("sent {provider_id} with {} notices", ids.len()))?; //~ channel
    audit.send_async(format!("recipients {}", mail.to.join(","))).await?; //~ ok(channel)
    Ok(ids.len())
}

/// Interactive preview for whoever edits the templates.
pub async fn preview(cfg: &Config) -> Result<(), BoxError> {
    let db = state::open(&cfg.state_file)?; //~ db
    db.load()?; //~ db
    let inbox = Inbox::open(&cfg.maildir); //~ ok(fs)
    let notices = inbox.collect_new(); //~ fs

    let mut renderer = DigestRenderer::load(&cfg.templates)?; //~ fs
    let local = PathBuf::from("digest.local.hbs");
    if tokio::fs::try_exists(&local).await? { //~ ok(fs)
        renderer.handlebars_mut().register_template_file("digest.html", &local)?; //~ fs
    }
    let html = renderer.render("digest.html", &inbox::group(notices))?; //~ ok(fs)
    let out = std::env::temp_dir().join("digest-preview.html");
    std::fs::write(&out, &html)?; //~ fs
    open::that_detached(&out)?; //~ process

    let term = Term::stdout();
    term.write_line("[s]end now, [o]pen again, [a]ll folders, anything else quits")?;
    loop {
        match term.read_key()? { //~ stdin
            Key::Char('s') => {
                let note = term.read_line()?; //~ stdin
                info!(%note, sent = run_once(cfg).await?, "sent from preview");
                break;
            }
            Key::Char('o') => open::that(&out)?, //~ process
            Key::Char('a') => {
                let (tx, rx) = loole::unbounded::<Notice>();
                let parser = spawn_parser(cfg.maildir.join(&cfg.sent_folder), tx);
                while let Ok(n) = rx.recv() { //~ channel
                    term.write_line(&format!("{}  {}", n.from, n.subject))?;
                }
                drop(parser);
            }
            _ => break,
        }
    }
    Ok(())
}
