use std::collections::BTreeMap;
use std::path::Path;

use handlebars::{DirectorySourceOptions, Handlebars};
use serde_json::json;

use crate::inbox::Notice;

pub struct DigestRenderer {
    hb: Handlebars<'static>,
}

impl DigestRenderer {
    /// Loads `*.hbs` from the template directory (digest.html.hbs, digest.txt.hbs, partials).
    pub fn load(dir: &Path) -> Result<Self, handlebars::TemplateError> {
        let mut hb = Handlebars::new();
        hb.set_strict_mode(true);
        hb.register_templates_directory(dir, DirectorySourceOptions::default())?;
        hb.register_template_string("subject", "[digest] {{count}} notices from {{groups}} sources")?;
        Ok(DigestRenderer { hb })
    }

    pub fn handlebars_mut(&mut self) -> &mut Handlebars<'static> {
        &mut self.hb
    }

    pub fn render(&self, template: &str, groups: &BTreeMap<String, Vec<Notice>>) -> Result<String, handlebars::RenderError> {
        let count: usize = groups.values().map(Vec::len).sum();
        self.hb.render(template, &json!({ "groups": groups.len(), "count": count, "items": groups }))
    }
}
