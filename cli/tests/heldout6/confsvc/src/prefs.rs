use serde::{Deserialize, Serialize};

const APP: &str = "confsvc";

/// Per-operator UI preferences, persisted with confy in the user's
/// config directory.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct UiPrefs {
    pub theme: String,
    pub page_size: usize,
    pub pinned: Vec<String>,
}

impl Default for UiPrefs {
    fn default() -> Self {
        UiPrefs { theme: "light".into(), page_size: 50, pinned: Vec::new() }
    }
}

impl UiPrefs {
    pub fn load() -> anyhow::Result<Self> {
        Ok(confy::load(APP, None)?)
    }

    pub fn save(&self) -> anyhow::Result<()> {
        confy::store(APP, None, self.clone())?;
        Ok(())
    }

    pub fn location() -> anyhow::Result<std::path::PathBuf> {
        Ok(confy::get_configuration_file_path(APP, None)?)
    }
}
