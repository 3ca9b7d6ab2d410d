use std::io::{self, Read, Write};

use termion::input::TermRead;

pub fn ask_password() -> io::Result<String> {
    let stdout = io::stdout();
    let mut stdout = stdout.lock();
    let stdin = io::stdin();
    let mut stdin = stdin.lock();
    stdout.write_all(b"password: ")?;
    stdout.flush()?;
    Ok(stdin.read_passwd(&mut stdout)?.unwrap_or_default())
}

pub fn confirm(question: &str) -> io::Result<bool> {
    print!("{question} [y/N] ");
    io::stdout().flush()?;
    let mut stdin = io::stdin();
    let answer = TermRead::read_line(&mut stdin)?.unwrap_or_default();
    Ok(answer.trim().eq_ignore_ascii_case("y"))
}

pub struct KeyStream {
    reader: termion::AsyncReader,
}

impl KeyStream {
    pub fn try_next_key(&mut self) -> io::Result<Option<u8>> {
        let mut b = [0u8; 1];
        match self.reader.read(&mut b)? {
            0 => Ok(None),
            _ => Ok(Some(b[0])),
        }
    }
}

pub fn key_stream() -> KeyStream {
    KeyStream { reader: termion::async_stdin() }
}

pub async fn wait_for_enter() -> io::Result<()> {
    let (w, h) = termion::terminal_size()?; //~ ok(stdio)
    tracing::debug!(w, h);
    let mut keys = io::stdin().keys();
    if let Some(k) = keys.next() { //~ stdio
        tracing::debug!(?k);
    }
    let mut line = String::new();
    io::stdin().read_line(&mut line)?; //~ stdio
    let retries: u32 = text_io::read!(); //~ stdio
    let next = io::stdin().lines().next(); //~ stdio
    tracing::debug!(retries, got = next.is_some());
    let mut tty = termion::get_tty()?; //~ fs
    writeln!(tty, "bye")?;
    Ok(())
}
