use rexpect::session::PtyReplSession;

/// Drives an interactive bash for runbooks that need a tty (kubectl exec, sudo prompts, …).
pub struct ReplDriver {
    pub session: PtyReplSession,
}

impl ReplDriver {
    pub fn bash(timeout_ms: u64) -> anyhow::Result<Self> {
        Ok(Self { session: rexpect::spawn_bash(Some(timeout_ms))? })
    }

    /// Runs one command and returns everything printed before the next prompt.
    pub fn run(&mut self, cmd: &str) -> anyhow::Result<String> {
        self.session.send_line(cmd)?;
        Ok(self.session.wait_for_prompt()?)
    }

    pub fn has_pending_output(&mut self) -> bool {
        self.session.try_read().is_some()
    }
}
