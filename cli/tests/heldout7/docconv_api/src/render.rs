//! HTML/Markdown report templates (Tera 2).

use serde::Serialize;
use tera::{Context, Tera};

pub struct Renderer {
    tera: Tera,
}

impl Renderer {
    pub fn from_glob(glob: &str) -> tera::TeraResult<Self> {
        let mut tera = Tera::new();
        tera.load_from_glob(glob)?;
        tera.add_raw_template("fallback.html", "<pre>{{ body }}</pre>")?;
        Ok(Renderer { tera })
    }

    pub fn tera_mut(&mut self) -> &mut Tera {
        &mut self.tera
    }

    pub fn add_override(&mut self, path: &std::path::Path, name: &str) -> tera::TeraResult<()> {
        self.tera.add_template_file(path, Some(name))
    }

    pub fn render<T: Serialize>(&self, template: &str, value: &T) -> tera::TeraResult<String> {
        let mut ctx = Context::new();
        ctx.insert("doc", value);
        let name = if self.tera.contains_template(template) { template } else { "fallback.html" };
        self.tera.render(name, &ctx)
    }
}

pub fn summary_line(pages: usize, words: usize) -> String {
    let mut ctx = Context::new();
    ctx.insert("pages", &pages);
    ctx.insert("words", &words);
    Tera::one_off("{{ pages }} pages, {{ words }} words", &ctx, false).unwrap_or_default()
}
