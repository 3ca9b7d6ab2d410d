use std::path::PathBuf;

use rustyline::error::ReadlineError;
use rustyline::DefaultEditor;

pub struct Console {
    editor: DefaultEditor,
    history: PathBuf,
}

impl Console {
    pub fn new() -> rustyline::Result<Self> {
        let history = dirs_home().join(".ops_console_history");
        Ok(Self { editor: DefaultEditor::new()?, history })
    }

    pub fn restore_history(&mut self) -> rustyline::Result<()> {
        if self.history.exists() {
            self.editor.load_history(&self.history)?;
        }
        Ok(())
    }

    pub fn persist_history(&mut self) -> rustyline::Result<()> {
        self.editor.save_history(&self.history)
    }

    pub fn remember(&mut self, line: &str) {
        let _ = self.editor.add_history_entry(line);
    }

    /// Reads one command; `None` on Ctrl-D.
    pub fn next_command(&mut self) -> rustyline::Result<Option<String>> {
        match self.editor.readline("ops> ") {
            Ok(l) => Ok(Some(l)),
            Err(ReadlineError::Eof) | Err(ReadlineError::Interrupted) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

pub async fn ask_target(console: &mut Console) -> Option<String> {
    let line = console.editor.readline("target> ").ok()?; //~ stdio
    let _ = console.editor.add_history_entry(line.as_str()); //~ ok(stdio)
    console.editor.append_history(&console.history).ok(); //~ fs
    Some(line)
}

fn dirs_home() -> PathBuf {
    std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("."))
}
