//! temporary stub
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
pub struct DepCrate {
    pub id: String,
    pub name: String,
    pub version: String,
    pub lib_name: String,
    pub root: PathBuf,
    pub edition: String,
    pub features: Vec<String>,
    pub links: Option<String>,
    pub deps: Vec<(String, usize)>,
    pub cache_key: String,
    pub local: bool,
}
pub struct DepGraph {
    pub crates: Vec<DepCrate>,
    pub roots: HashMap<String, Vec<(String, usize)>>,
    pub problems: Vec<String>,
}
pub struct Cfg;
pub struct CrateSource {
    pub files: Vec<DepFile>,
    pub errors: Vec<String>,
    pub mentions: HashSet<String>,
}
pub struct DepFile {
    pub path: PathBuf,
    pub module_path: Vec<String>,
    pub file: syn::File,
    pub text_len: usize,
}
pub struct Progress;
impl Progress {
    pub fn crate_done(&self, _n: &str, _c: bool, _f: u64) {}
}
pub fn read_crate(_d: &DepCrate, _c: &Cfg) -> CrateSource {
    CrateSource {
        files: vec![],
        errors: vec![],
        mentions: HashSet::new(),
    }
}
