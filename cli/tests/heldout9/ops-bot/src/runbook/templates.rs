use std::path::Path;

use minijinja::{context, path_loader, Environment};

pub struct Renderer {
    env: Environment<'static>,
}

impl Renderer {
    pub fn new(dir: &Path) -> Self {
        let mut env = Environment::new();
        env.set_loader(path_loader(dir));
        Self { env }
    }

    /// Loads `<name>.sh.j2` from the runbook directory and renders it.
    pub fn render_runbook(&self, name: &str, service: &str, version: &str) -> anyhow::Result<String> {
        let tmpl = self.env.get_template(&format!("{name}.sh.j2"))?;
        Ok(tmpl.render(context! { service, version })?)
    }

    /// Renders an inline snippet typed in chat (no file access).
    pub fn preview(&self, snippet: &str, service: &str) -> anyhow::Result<String> {
        Ok(self.env.render_str(snippet, context! { service })?)
    }
}
