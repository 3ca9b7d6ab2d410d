use std::collections::HashSet;

use crate::ImapConfig;

fn parse_names(body: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(body)
        .lines()
        .filter_map(|l| l.trim().strip_prefix("RESEND "))
        .map(|s| s.trim().to_string())
        .collect()
}

pub async fn resend_requests(
    cfg: &ImapConfig,
    tls: &native_tls::TlsConnector,
) -> anyhow::Result<Vec<String>> {
    let client = imap::connect(cfg.addr, &cfg.domain, tls)?; //~ net
    let mut session = client.login(&cfg.user, &cfg.password).map_err(|(e, _)| e)?; //~ net
    session.select("INBOX")?; //~ net
    let ids: HashSet<u32> = session.search("UNSEEN SUBJECT \"RESEND\"")?; //~ net
    if ids.is_empty() {
        session.logout()?; //~ net
        return Ok(Vec::new());
    }

    let set = ids.iter().map(|id| id.to_string()).collect::<Vec<_>>().join(",");
    let messages = session.fetch(&set, "BODY[TEXT]")?; //~ net
    let names = messages
        .iter()
        .filter_map(|m| m.text())
        .flat_map(parse_names)
        .collect();
    session.store(&set, "+FLAGS (\\Seen)")?; //~ net
    session.logout()?; //~ net
    Ok(names)
}

pub async fn pending_count(cfg: &ImapConfig, tls: &native_tls::TlsConnector) -> anyhow::Result<usize> {
    let tcp = tokio::net::TcpStream::connect(cfg.addr).await?; //~ ok(net)
    let connector = tokio_native_tls::TlsConnector::from(tls.clone()); //~ ok(net)
    let stream = connector.connect(&cfg.domain, tcp).await?; //~ ok(net)
    let client = async_imap::Client::new(stream);
    let mut session = client.login(&cfg.user, &cfg.password).await.map_err(|(e, _)| e)?; //~ ok(net)
    session.select("INBOX").await?; //~ ok(net)
    let unseen = session.search("UNSEEN").await?; //~ ok(net)
    session.logout().await?; //~ ok(net)
    Ok(unseen.len())
}
