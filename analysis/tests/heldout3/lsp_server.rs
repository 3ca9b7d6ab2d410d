//! Language server for a small config language, over stdio with tower-lsp:
//! keeps open documents in memory, lints them with an external checker and
//! formats with the project's formatter binary.

use std::collections::HashMap;
use std::io::{BufRead, Read, Write};
use std::process::{Command, Stdio};
use std::sync::Mutex;

use tokio::sync::RwLock;
use tower_lsp::jsonrpc::Result;
use tower_lsp::lsp_types::*;
use tower_lsp::{Client, LanguageServer, LspService, Server};

struct Document {
    text: String,
    version: i32,
}

pub struct Backend {
    client: Client,
    docs: Mutex<HashMap<Url, Document>>,
    settings: RwLock<serde_json::Value>,
    checker: std::path::PathBuf,
}

fn lint_with(checker: &std::path::Path, text: &str) -> Vec<Diagnostic> {
    let mut child = Command::new(checker).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap(); //~ ok(process)
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| Diagnostic::new_simple(Range::default(), l.to_owned()))
        .collect()
}

#[tower_lsp::async_trait]
impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        if let Some(root) = params.root_uri.and_then(|u| u.to_file_path().ok()) {
            let cfg = root.join(".cfglang.json");
            if cfg.is_file() { //~ miss(fs)
                let raw = std::fs::read_to_string(&cfg).unwrap_or_default(); //~ fs
                *self.settings.write().await = serde_json::from_str(&raw).unwrap_or_default(); //~ ok(lock)
            }
        }
        Ok(InitializeResult::default())
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        self.docs.lock().unwrap().insert(doc.uri.clone(), Document { text: doc.text.clone(), version: doc.version }); //~ lock
        let diags = lint_with(&self.checker, &doc.text);
        self.client.publish_diagnostics(doc.uri, diags, Some(doc.version)).await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let text = params.content_changes.into_iter().last().map(|c| c.text).unwrap_or_default();
        let checker = self.checker.clone();
        let for_lint = text.clone();
        let diags = tokio::task::spawn_blocking(move || lint_with(&checker, &for_lint)).await.unwrap_or_default();
        {
            let mut docs = self.docs.lock().unwrap(); //~ lock
            docs.insert(uri.clone(), Document { text, version: params.text_document.version });
        }
        self.client.publish_diagnostics(uri, diags, None).await;
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        let text = match self.docs.lock().unwrap().get(&params.text_document.uri) { //~ lock, ok(db)
            Some(d) => d.text.clone(),
            None => return Ok(None),
        };
        let mut child = Command::new("cfgfmt")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn() //~ ok(process)
            .expect("cfgfmt");
        child.stdin.take().unwrap().write_all(text.as_bytes()).ok(); //~ miss(process)
        let output = child.wait_with_output().expect("cfgfmt"); //~ process
        let formatted = String::from_utf8_lossy(&output.stdout).into_owned();
        Ok(Some(vec![TextEdit::new(Range::default(), formatted)]))
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let uri = params.text_document_position_params.text_document.uri;
        let version = self.docs.lock().unwrap().get(&uri).map(|d| d.version); //~ lock, ok(db)
        let settings = self.settings.read().await; //~ ok(lock)
        let help = settings.get("hover").and_then(|v| v.as_str()).unwrap_or("cfglang"); //~ ok(db)
        Ok(Some(Hover {
            contents: HoverContents::Scalar(MarkedString::String(format!("{help} (v{version:?})"))),
            range: None,
        }))
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        let path = params.text_document.uri.to_file_path().unwrap();
        let status = tokio::process::Command::new("cfglint").arg(&path).status().await; //~ ok(process)
        let ok = Command::new("git").args(["diff", "--quiet"]).status().map(|s| s.success()); //~ process
        self.client.log_message(MessageType::INFO, format!("{status:?} {ok:?}")).await;
    }
}

/// Debug mode: read one JSON-RPC message by hand from stdin before handing
/// the stream to tower-lsp.
pub async fn sniff_first_message() -> std::io::Result<String> {
    let mut header = String::new();
    std::io::stdin().read_line(&mut header)?; //~ stdio
    let len: usize = header.trim_start_matches("Content-Length: ").trim().parse().unwrap_or(0);
    let mut body = vec![0u8; len + 2];
    let mut stdin = std::io::stdin();
    stdin.read_exact(&mut body)?; //~ miss(stdio)
    Ok(String::from_utf8_lossy(&body).into_owned())
}

#[tokio::main]
async fn main() {
    let stdin = tokio::io::stdin(); //~ ok(stdio)
    let stdout = tokio::io::stdout();
    let (service, socket) = LspService::new(|client| Backend {
        client,
        docs: Mutex::new(HashMap::new()),
        settings: RwLock::new(serde_json::Value::Null),
        checker: "cfgcheck".into(),
    });
    Server::new(stdin, stdout, socket).serve(service).await;
}
