use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use ini::Ini;

fn flatten(ini: &Ini, prefix: &str, out: &mut BTreeMap<String, String>) {
    for (section, props) in ini.iter() {
        for (k, v) in props.iter() {
            let key = match section {
                Some(s) => format!("{prefix}.{s}.{k}"),
                None => format!("{prefix}.{k}"),
            };
            out.insert(key, v.to_string());
        }
    }
}

/// Every `*.ini` in `dir`, keys prefixed with the file stem.
pub fn load_ini_dir(dir: &Path) -> anyhow::Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("ini") {
            continue;
        }
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("unnamed").to_string();
        let ini = Ini::load_from_file(&path)?;
        flatten(&ini, &stem, &mut out);
    }
    Ok(out)
}

pub fn parse_ini_str(name: &str, text: &str) -> anyhow::Result<BTreeMap<String, String>> {
    let ini = Ini::load_from_str(text)?;
    let mut out = BTreeMap::new();
    flatten(&ini, name, &mut out);
    Ok(out)
}

/// Parse from any reader (file, socket buffer, byte slice...).
pub fn read_ini<R: Read>(name: &str, mut r: R) -> anyhow::Result<BTreeMap<String, String>> {
    let ini = Ini::read_from(&mut r)?;
    let mut out = BTreeMap::new();
    flatten(&ini, name, &mut out);
    Ok(out)
}

/// Validates `text` and writes it as `<dir>/<name>.ini`.
pub fn write_ini(dir: &Path, name: &str, text: &str) -> anyhow::Result<()> {
    let ini = Ini::load_from_str(text)?;
    ini.write_to_file(dir.join(format!("{name}.ini")))?;
    Ok(())
}
