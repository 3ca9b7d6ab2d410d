use super::*;

#[derive(Debug, Deserialize)]
struct EmailPayload {
    to: String,
    template: String,
    subject: String,
    vars: serde_json::Map<String, serde_json::Value>,
}

pub(super) async fn send_email(ctx: &Ctx, env: JobEnvelope) -> anyhow::Result<()> {
    let p: EmailPayload = payload(&env)?;
    if ctx.queue.is_suppressed(&p.to)? { //~ miss(db), fp(lock)
        ctx.metrics.incr("email_suppressed"); //~ lock
        return Ok(());
    }

    let path = ctx.templates.join(format!("{}.html", p.template));
    let mut html = std::fs::read_to_string(&path) //~ fs
        .with_context(|| format!("template {}", path.display()))?;
    for (k, v) in &p.vars {
        html = html.replace(&format!("{{{{{k}}}}}"), v.as_str().unwrap_or_default());
    }

    let resp = ctx
        .http
        .post(&ctx.mail_api)
        .json(&serde_json::json!({
            "to": p.to,
            "subject": p.subject,
            "html": html,
        }))
        .send()?; //~ http_blocking
    if !resp.status().is_success() {
        anyhow::bail!("mail api returned {}", resp.status());
    }
    ctx.metrics.incr("email_sent"); //~ lock
    ctx.audit
        .send_async(format!("mail {} -> {}", env.id, p.to)) //~ ok(channel)
        .await?;
    Ok(())
}
