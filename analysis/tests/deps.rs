//! Calls into a dependency read as source: the transitive closure follows
//! them through the dependency's re-exports, methods and private helpers,
//! and reports them under the category of the blocking call they reach.

use pollguard_analysis::model::{CrateModel, lower_file};
use pollguard_analysis::transitive::{Unit, UnitFinding, findings_with};
use pollguard_analysis::{Analysis, Config, Options, analyze_file_in};
use std::collections::HashMap;
use std::sync::Arc;

const DEP: &str = r#"
pub use crate::reader::{Reader, ReaderBuilder};
pub mod reader {
    pub struct Reader { data: Vec<u8> }
    pub struct ReaderBuilder { delimiter: u8 }
    impl Reader {
        pub fn from_path(p: &str) -> std::io::Result<Reader> {
            let data = std::fs::read(p)?;
            Ok(Reader { data })
        }
        pub fn from_bytes(b: &[u8]) -> Reader {
            Reader { data: b.to_vec() }
        }
        pub fn flush_to_disk(&self) {
            crate::inner::persist(&self.data)
        }
        pub fn len(&self) -> usize {
            self.data.len()
        }
    }
    impl ReaderBuilder {
        pub fn new() -> Self {
            ReaderBuilder { delimiter: b',' }
        }
        pub fn from_path(&self, p: &str) -> std::io::Result<Reader> {
            Reader::from_path(p)
        }
    }
}
pub fn pause() {
    inner::wait()
}
pub async fn fetch() -> Vec<u8> {
    Vec::new()
}
mod inner {
    pub(crate) fn wait() {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    pub(crate) fn persist(data: &[u8]) {
        std::fs::write("out.csv", data).unwrap();
    }
}
"#;

const APP: &str = r#"
use csv::ReaderBuilder;
async fn handler(path: String) {
    let r = csv::Reader::from_path(&path).unwrap(); // fs
    let b = csv::Reader::from_bytes(b"a,b"); // trap
    let n = b.len(); // trap
    b.flush_to_disk(); // fs
    csv::pause(); // sleep
    let built = ReaderBuilder::new().from_path(&path); // fs
    let v = csv::fetch().await; // trap
}
fn sync_helper() {
    csv::pause();
}
async fn indirect() {
    sync_helper(); // transitive
}
"#;

fn model_of(
    text: &str,
    key: &str,
    externs: HashMap<String, Arc<CrateModel>>,
) -> (syn::File, CrateModel) {
    let file = syn::parse_file(text).expect("fixture parses");
    let items = lower_file(&file);
    let root = vec!["crate".to_owned()];
    let mut model = CrateModel::build([(root.as_slice(), &items)], &[]);
    model.set_key(key);
    model.set_externs(externs.into_iter().collect());
    (file, model)
}

/// The transitive findings of an application file over one dependency file.
fn closure(
    config: &Config,
    (app, app_model): (&Analysis, &CrateModel),
    (key, dep, dep_model): (&str, &Analysis, &CrateModel),
) -> Vec<UnitFinding> {
    let units = [
        Unit {
            krate: "app",
            file: app,
            config,
            dependency: false,
            kind: pollguard_analysis::transitive::CrateKind::Other,
            test: false,
        },
        Unit {
            krate: key,
            file: dep,
            config,
            dependency: true,
            kind: pollguard_analysis::transitive::CrateKind::Other,
            test: false,
        },
    ];
    let models = [app_model, dep_model];
    let resolve = |u: usize, path: &str| models[u].resolve_extern(path);
    findings_with(&units, &resolve).0
}

/// An application file over one dependency file, the dependency named
/// `name` by the application (key `name#0`): the application's own
/// analysis, and the transitive findings.
fn over_dependency(dep_src: &str, name: &str, app_src: &str) -> (Analysis, Vec<UnitFinding>) {
    let config = Config::default();
    let key = format!("{name}#0");
    let (dep_file, dep_model) = model_of(dep_src, &key, HashMap::new());
    let dep_model = Arc::new(dep_model);
    let (app_file, app_model) = model_of(
        app_src,
        "app",
        HashMap::from([(name.to_owned(), Arc::clone(&dep_model))]),
    );
    let options = Options::new(&config);
    let dep = analyze_file_in(&dep_file, &options, &dep_model);
    let app = analyze_file_in(&app_file, &options, &app_model);
    let found = closure(&config, (&app, &app_model), (&key, &dep, &dep_model));
    (app, found)
}

/// `(line, category)` of the application's own findings and of the
/// transitive ones, sorted.
fn lines_and_categories(app: &Analysis, found: &[UnitFinding]) -> Vec<(usize, &'static str)> {
    let mut got: Vec<(usize, &'static str)> = app
        .findings
        .iter()
        .map(|f| (f.span.start().line, f.rule.category.name()))
        .chain(
            found
                .iter()
                .map(|f| (f.finding.span.start().line, f.finding.rule.category.name())),
        )
        .collect();
    got.sort_unstable();
    got
}

/// `(line, category)` of the lines of `src` that end in one of the tags
/// (`("// fs", "fs")`), in order.
fn tagged(src: &str, tags: &[(&str, &'static str)]) -> Vec<(usize, &'static str)> {
    src.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            tags.iter()
                .find(|(tag, _)| line.ends_with(tag))
                .map(|(_, category)| (i + 1, *category))
        })
        .collect()
}

#[test]
fn calls_into_a_dependency_are_reported_by_the_category_they_reach() {
    let (_, found) = over_dependency(DEP, "csv", APP);
    let mut got: Vec<(usize, &str)> = found
        .iter()
        .map(|f| (f.finding.span.start().line, f.finding.rule.category.name()))
        .collect();
    got.sort_unstable();
    let lines: Vec<&str> = APP.lines().collect();
    let mut want: Vec<(usize, &str)> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        for (tag, category) in [
            ("// fs", "fs"),
            ("// sleep", "sleep"),
            ("// transitive", "transitive"),
        ] {
            if line.ends_with(tag) {
                want.push((i + 1, category));
            }
        }
    }
    assert_eq!(got, want, "findings (line, category)");
    assert!(
        found.iter().all(|f| f.unit == 0),
        "nothing is reported inside the dependency"
    );
    // The chain goes through the dependency's private helper to the root.
    let pause = found
        .iter()
        .find(|f| f.finding.span.start().line == 8)
        .expect("`csv::pause()` is reported");
    let chain: Vec<(&str, &str)> = pause
        .finding
        .chain
        .iter()
        .map(|s| (s.caller.as_str(), s.callee.as_str()))
        .collect();
    assert_eq!(
        chain,
        [
            ("crate::pause", "crate::inner::wait"),
            ("crate::inner::wait", "std::thread::sleep")
        ]
    );
    assert!(pause.finding.chain.iter().all(|s| s.unit == 1));
}

const SYS: &str = r#"
include!(concat!(env!("OUT_DIR"), "/bindings.rs"));
"#;

const WRAPPER: &str = r#"
pub use libsqlite3_sys as ffi;
pub struct Statement { raw: *mut u8 }
impl Statement {
    pub fn step(&mut self) -> i32 {
        unsafe { ffi::sqlite3_step(self.raw) }
    }
    pub fn version() -> i32 {
        unsafe { ffi::sqlite3_libversion_number() }
    }
}
"#;

const WRAPPER_APP: &str = r#"
async fn run(mut s: sqlite::Statement) {
    s.step(); // db
    sqlite::Statement::version(); // trap
}
"#;

#[test]
fn native_libraries_block_by_their_links_table() {
    let config = Config::default();
    let (_, mut sys) = model_of(SYS, "libsqlite3_sys#0", HashMap::new());
    sys.set_links(Some("sqlite3".to_owned()));
    let sys = Arc::new(sys);
    let (wrapper_file, wrapper) = model_of(
        WRAPPER,
        "sqlite#1",
        HashMap::from([("libsqlite3_sys".to_owned(), Arc::clone(&sys))]),
    );
    let wrapper = Arc::new(wrapper);
    let (app_file, app_model) = model_of(
        WRAPPER_APP,
        "app",
        HashMap::from([("sqlite".to_owned(), Arc::clone(&wrapper))]),
    );
    let options = Options::new(&config);
    let dep = analyze_file_in(&wrapper_file, &options, &wrapper);
    let app = analyze_file_in(&app_file, &options, &app_model);
    let found = closure(&config, (&app, &app_model), ("sqlite#1", &dep, &wrapper));
    let got: Vec<(usize, &str, &str)> = found
        .iter()
        .map(|f| {
            let last = f.finding.chain.last().map_or("", |s| s.callee.as_str());
            (
                f.finding.span.start().line,
                f.finding.rule.category.name(),
                last,
            )
        })
        .collect();
    assert_eq!(got, [(3, "db", "libsqlite3_sys::sqlite3_step")]);
}

const RUSTIX: &str = r#"
pub mod fs {
    pub fn statvfs<P>(path: P) -> Result<u64, ()> {
        crate::backend::syscall(path)
    }
    pub fn flock(fd: i32, op: u8) -> Result<(), ()> {
        crate::backend::syscall(fd).map(|_| ())
    }
}
mod backend {
    pub(crate) fn syscall<T>(_: T) -> Result<u64, ()> {
        Ok(0)
    }
}
"#;

const DISK: &str = r#"
pub fn available_space(p: &str) -> u64 {
    rustix::fs::statvfs(p).unwrap_or(0)
}
pub fn try_lock(fd: i32) -> bool {
    rustix::fs::flock(fd, rustix::fs::FlockOperation::NonBlockingLockExclusive).is_ok()
}
pub fn lock(fd: i32) -> bool {
    rustix::fs::flock(fd, rustix::fs::FlockOperation::LockExclusive).is_ok()
}
fn flock(fd: i32, flag: i32) -> i32 {
    unsafe { libc::flock(fd, flag) }
}
pub fn lock_c(fd: i32) -> i32 {
    flock(fd, libc::LOCK_EX)
}
pub fn try_lock_c(fd: i32) -> i32 {
    flock(fd, libc::LOCK_EX | libc::LOCK_NB)
}
pub fn mkdir(p: *const u8) -> i32 {
    unsafe { libc::mkdir(p, 0o755) }
}
pub fn read_fd(fd: i32) -> isize {
    unsafe { libc::read(fd, std::ptr::null_mut(), 0) }
}
"#;

const DISK_APP: &str = r#"
async fn run(fd: i32) {
    disk::available_space("/srv"); // fs
    disk::try_lock(fd); // trap: asked for the non-blocking form
    disk::lock(fd); // fs
    disk::lock_c(fd); // fs
    disk::try_lock_c(fd); // trap: `LOCK_NB` handed to the helper
    disk::mkdir(std::ptr::null()); // fs
    disk::read_fd(fd); // trap: a descriptor may be a non-blocking socket
}
"#;

#[test]
fn system_call_crates_block_by_name_on_paths() {
    let config = Config::default();
    let (_, mut rustix) = model_of(RUSTIX, "rustix#0", HashMap::new());
    rustix.set_links(Some("rustix".to_owned()));
    let (_, mut libc) = model_of(
        "extern \"C\" { pub fn mkdir(p: *const u8, m: u32) -> i32; pub fn read(fd: i32, b: *mut u8, n: usize) -> isize; pub fn flock(fd: i32, op: i32) -> i32; }",
        "libc#1",
        HashMap::new(),
    );
    libc.set_links(Some("libc".to_owned()));
    let (disk_file, disk) = model_of(
        DISK,
        "disk#2",
        HashMap::from([
            ("rustix".to_owned(), Arc::new(rustix)),
            ("libc".to_owned(), Arc::new(libc)),
        ]),
    );
    let disk = Arc::new(disk);
    let (app_file, app_model) = model_of(
        DISK_APP,
        "app",
        HashMap::from([("disk".to_owned(), Arc::clone(&disk))]),
    );
    let options = Options::new(&config);
    let dep = analyze_file_in(&disk_file, &options, &disk);
    let app = analyze_file_in(&app_file, &options, &app_model);
    let found = closure(&config, (&app, &app_model), ("disk#2", &dep, &disk));
    assert_eq!(
        lines_and_categories(&app, &found),
        tagged(DISK_APP, &[("// fs", "fs")])
    );
}

const TERM: &str = r#"
pub use crate::term::Term;
mod term {
    pub struct Term { fd: i32 }
    impl Term {
        pub fn stderr() -> Term {
            Term { fd: 2 }
        }
        pub fn read_key(&self) -> std::io::Result<char> {
            let mut b = [0u8; 1];
            unsafe { crate::raw_read(self.fd, b.as_mut_ptr()) };
            Ok(b[0] as char)
        }
    }
}
unsafe fn raw_read(_fd: i32, _b: *mut u8) {}
"#;

const PROMPT: &str = r#"
pub struct Confirm { default: bool }
impl Confirm {
    pub fn new() -> Confirm {
        Confirm { default: false }
    }
    pub fn interact(self) -> std::io::Result<bool> {
        self.interact_on(&console::Term::stderr())
    }
    fn interact_on(self, term: &console::Term) -> std::io::Result<bool> {
        loop {
            match term.read_key()? {
                'y' => return Ok(true),
                'n' => return Ok(false),
                _ => {}
            }
        }
    }
}
"#;

const PROMPT_APP: &str = r#"
async fn ask() {
    let yes = prompt::Confirm::new().interact(); // stdio
    let made = prompt::Confirm::new(); // trap: only a builder
}
"#;

#[test]
fn a_prompt_crate_blocks_through_the_terminal_it_reads() {
    let config = Config::default();
    let (_, console) = model_of(TERM, "console#0", HashMap::new());
    let (prompt_file, prompt) = model_of(
        PROMPT,
        "prompt#1",
        HashMap::from([("console".to_owned(), Arc::new(console))]),
    );
    let prompt = Arc::new(prompt);
    let (app_file, app_model) = model_of(
        PROMPT_APP,
        "app",
        HashMap::from([("prompt".to_owned(), Arc::clone(&prompt))]),
    );
    let options = Options::new(&config);
    let dep = analyze_file_in(&prompt_file, &options, &prompt);
    let app = analyze_file_in(&app_file, &options, &app_model);
    let found = closure(&config, (&app, &app_model), ("prompt#1", &dep, &prompt));
    assert_eq!(
        lines_and_categories(&app, &found),
        tagged(PROMPT_APP, &[("// stdio", "stdio")])
    );
    let root = found[0].finding.chain.last().expect("a chain");
    assert_eq!(root.callee, "console::Term::read_key");
}

const EXT_DEP: &str = r#"
pub trait FileExt {
    fn lock_all(&self) -> std::io::Result<()>;
    fn peek(&self) -> u8;
}
impl FileExt for std::fs::File {
    fn lock_all(&self) -> std::io::Result<()> {
        std::thread::sleep(std::time::Duration::from_millis(1));
        Ok(())
    }
    fn peek(&self) -> u8 {
        0
    }
}
"#;

const EXT_APP: &str = r#"
use locks::FileExt as _;
async fn run(f: std::fs::File) {
    f.lock_all(); // sleep
    f.peek(); // trap: the trait's other method does not wait
}
mod named {
    use locks::FileExt;
    async fn run(f: &std::fs::File) {
        f.lock_all(); // sleep
    }
}
"#;

#[test]
fn an_extension_trait_of_a_dependency_adds_methods_to_std_types() {
    let (app, found) = over_dependency(EXT_DEP, "locks", EXT_APP);
    assert_eq!(
        lines_and_categories(&app, &found),
        tagged(EXT_APP, &[("// sleep", "sleep")])
    );
}

const WALK_DEP: &str = r#"
pub struct Lines { n: usize }
impl Iterator for Lines {
    type Item = usize;
    fn next(&mut self) -> Option<usize> {
        std::thread::sleep(std::time::Duration::from_millis(1));
        Some(self.n)
    }
}
pub fn lines() -> Lines {
    Lines { n: 0 }
}
pub fn open_lines() -> std::io::Result<Lines> {
    std::fs::metadata("x")?;
    Ok(Lines { n: 0 })
}
pub struct Counter { n: usize }
impl Iterator for Counter {
    type Item = usize;
    fn next(&mut self) -> Option<usize> {
        self.n += 1;
        Some(self.n)
    }
}
pub fn counter() -> Counter {
    Counter { n: 0 }
}
"#;

const WALK_APP: &str = r#"
async fn run() -> std::io::Result<()> {
    let it = walk::lines(); // trap: making the iterator does not wait
    for n in it { // sleep
        break;
    }
    let firsts: Vec<usize> = walk::lines().filter(|n| *n > 0).take(3)
        .collect(); // sleep
    // One finding where the call that made the iterator blocks too.
    for n in walk::open_lines()? { // fs
        break;
    }
    let total: usize = walk::counter().take(10).sum(); // trap: its next does not wait
    Ok(())
}
"#;

#[test]
fn iterating_a_dependencys_iterator_calls_its_next() {
    let (app, found) = over_dependency(WALK_DEP, "walk", WALK_APP);
    assert_eq!(
        lines_and_categories(&app, &found),
        tagged(WALK_APP, &[("// sleep", "sleep"), ("// fs", "fs")])
    );
}

const SHADOW_DEP: &str = r#"
pub mod host {
    mod sys {
        mod linux {
            mod uptime {
                pub fn uptime() -> String {
                    std::fs::read_to_string("/proc/uptime").unwrap_or_default()
                }
            }
            pub use uptime::*;
        }
        pub use linux::*;
    }
    pub use sys::*;
}
pub mod fmt {
    pub mod time {
        pub struct Clock;
        impl Clock {
            pub fn read() -> String {
                std::fs::read_to_string("/etc/timezone").unwrap_or_default()
            }
        }
        pub fn time() -> Clock {
            Clock
        }
    }
    pub use self::time::time;
}
"#;

const SHADOW_APP: &str = r#"
async fn up() {
    let _ = sysinfo::host::uptime(); // fs
    // The module `time`, not the fn `time` its parent re-exports.
    let _ = sysinfo::fmt::time::Clock::read(); // fs
    let _ = sysinfo::fmt::time(); // trap
}
"#;

#[test]
fn a_fn_that_a_module_of_its_name_shadows_is_found_through_globs() {
    let (app, found) = over_dependency(SHADOW_DEP, "sysinfo", SHADOW_APP);
    assert_eq!(
        lines_and_categories(&app, &found),
        tagged(SHADOW_APP, &[("// fs", "fs")])
    );
}

const MACRO_NAMED_DEP: &str = r#"
pub use command_macro::command;
use std::process::{Command, Output};

pub trait Execute {
    fn execute_output(&mut self) -> std::io::Result<Output>;
}

impl Execute for Command {
    fn execute_output(&mut self) -> std::io::Result<Output> {
        self.output()
    }
}

pub fn command<S: AsRef<str>>(cmd: S) -> Command {
    Command::new(cmd.as_ref())
}
"#;

const MACRO_NAMED_APP: &str = r#"
use execute::Execute;

async fn run() -> std::io::Result<()> {
    let mut cmd = execute::command("make --version"); // trap: builds the command
    let out = cmd.execute_output()?; // process
    Ok(())
}
"#;

#[test]
fn a_fn_beside_a_macro_import_of_its_name_is_what_a_call_names() {
    let (app, found) = over_dependency(MACRO_NAMED_DEP, "execute", MACRO_NAMED_APP);
    assert_eq!(
        lines_and_categories(&app, &found),
        tagged(MACRO_NAMED_APP, &[("// process", "process")])
    );
}

const WRAPPED_READER_DEP: &str = r#"
use std::collections::HashMap;
use std::io::{Read, Write};

struct Lines<R: Read> {
    reader: R,
}

impl<R: Read> Lines<R> {
    fn new(reader: R) -> Self {
        Lines { reader }
    }
    fn next_line(&mut self) -> Option<String> {
        let mut buf = [0u8; 64];
        let n = self.reader.read(&mut buf).ok()?;
        (n > 0).then(|| String::from_utf8_lossy(&buf[..n]).into_owned())
    }
}

pub struct PropsIter<R: Read> {
    lines: Lines<R>,
}

impl<R: Read> PropsIter<R> {
    pub fn new(input: R) -> Self {
        PropsIter { lines: Lines::new(input) }
    }
    pub fn read_into<F: FnMut(String)>(&mut self, mut f: F) {
        while let Some(l) = self.lines.next_line() {
            f(l);
        }
    }
}

pub fn read<R: Read>(input: R) -> HashMap<String, String> {
    let mut p = PropsIter::new(input);
    let mut map = HashMap::new();
    p.read_into(|l| {
        map.insert(l, String::new());
    });
    map
}

struct Enc<W: Write> {
    writer: W,
}

impl<W: Write> Enc<W> {
    fn put(&mut self, s: &str) -> std::io::Result<()> {
        self.writer.write_all(s.as_bytes())
    }
}

pub struct PropsWriter<W: Write> {
    enc: Enc<W>,
}

impl<W: Write> PropsWriter<W> {
    pub fn new(writer: W) -> Self {
        PropsWriter { enc: Enc { writer } }
    }
    pub fn write(&mut self, k: &str) -> std::io::Result<()> {
        self.enc.put(k)
    }
}

pub fn write<W: Write>(writer: W, keys: &[&str]) -> std::io::Result<()> {
    let mut w = PropsWriter::new(writer);
    for k in keys {
        w.write(k)?;
    }
    Ok(())
}
"#;

const WRAPPED_READER_APP: &str = r#"
async fn load(path: &str, text: &str) -> std::io::Result<()> {
    let f = std::fs::File::open(path)?; // fs
    let map = props::read(std::io::BufReader::new(f)); // fs
    let from_text = props::read(text.as_bytes()); // trap: reads a slice
    let out = std::fs::File::create(path)?; // fs
    props::write(out, &["a"])?; // fs
    let mut buf = Vec::new();
    props::write(&mut buf, &["a"])?; // trap: writes to memory
    Ok(())
}
"#;

#[test]
fn a_callers_reader_is_followed_into_the_dependencys_own_wrappers() {
    let (app, found) = over_dependency(WRAPPED_READER_DEP, "props", WRAPPED_READER_APP);
    assert_eq!(
        lines_and_categories(&app, &found),
        tagged(WRAPPED_READER_APP, &[("// fs", "fs")])
    );
}

const IO_DEPS: &str = r#"
pub mod json {
    pub fn from_reader<R: std::io::Read>(mut r: R) -> String {
        let mut s = String::new();
        r.read_to_string(&mut s).unwrap();
        s
    }
    pub fn from_slice(b: &[u8]) -> String {
        String::from_utf8_lossy(b).into_owned()
    }
}
pub struct Reader<R> {
    rdr: R,
}
impl Reader<std::fs::File> {
    pub fn from_path(p: &str) -> std::io::Result<Reader<std::fs::File>> {
        Ok(Reader::from_reader(std::fs::File::open(p)?))
    }
}
impl<R: std::io::Read> Reader<R> {
    pub fn from_reader(rdr: R) -> Reader<R> {
        Reader { rdr }
    }
    pub fn read_record(&mut self) -> bool {
        self.fill()
    }
    fn fill(&mut self) -> bool {
        let mut buf = [0u8; 64];
        self.rdr.read(&mut buf).is_ok()
    }
}
"#;

const IO_APP: &str = r#"
async fn handler(path: String, bytes: Vec<u8>) {
    let file = std::fs::File::open(&path).unwrap(); // fs
    let a = rdr::json::from_reader(file); // fs
    let b = rdr::json::from_reader(&bytes[..]); // trap
    let c = rdr::json::from_slice(&bytes); // trap
    let mut mem = rdr::Reader::from_reader(std::io::Cursor::new(bytes.clone())); // trap
    mem.read_record(); // trap
    let mut disk = rdr::Reader::from_path(&path).unwrap(); // fs
    disk.read_record(); // fs
}
fn count<R: std::io::Read>(r: R) -> bool {
    let mut rdr = rdr::Reader::from_reader(r);
    rdr.read_record()
}
async fn through_own_generic_fn(path: String) {
    let file = std::fs::File::open(&path).unwrap(); // fs
    count(file); // transitive
    count(&b"in memory"[..]); // trap
}
"#;

#[test]
fn generic_io_blocks_when_the_caller_gives_a_file() {
    let (app, found) = over_dependency(IO_DEPS, "rdr", IO_APP);
    let got = lines_and_categories(&app, &found);
    let want = tagged(IO_APP, &[("// fs", "fs"), ("// transitive", "transitive")]);
    assert_eq!(got, want, "findings (line, category)");
}

const ADDR_DEP: &str = r#"
use std::net::ToSocketAddrs;
pub struct Server;
impl Server {
    pub fn new() -> Server {
        Server
    }
    pub fn bind<A: ToSocketAddrs>(&self, addr: A) -> std::io::Result<usize> {
        Ok(addr.to_socket_addrs()?.count())
    }
    pub fn bind_all<A>(&self, addr: A) -> std::io::Result<usize>
    where
        A: ToSocketAddrs,
    {
        self.bind(addr)
    }
}
pub fn connect(addr: impl ToSocketAddrs) -> usize {
    addr.to_socket_addrs().map(|a| a.count()).unwrap_or(0)
}
"#;

const ADDR_APP: &str = r#"
use std::net::{SocketAddr, ToSocketAddrs};
const LISTEN: &str = "0.0.0.0:8080";
const UPSTREAM: &str = "db.internal:5432";
mod defaults {
    pub const IP: &str = "::1";
}
async fn serve(config_addr: String, parsed: SocketAddr) {
    let server = srv::Server::new();
    let _ = server.bind(LISTEN); // trap
    let _ = server.bind(("127.0.0.1", 80)); // trap
    let _ = server.bind((defaults::IP, 80)); // trap
    let _ = server.bind(parsed); // trap
    let _ = server.bind_all("10.0.0.1:53"); // trap
    let _ = server.bind(config_addr.as_str()); // dns
    let _ = server.bind_all(UPSTREAM); // dns
    let _ = srv::connect(("localhost", 80)); // dns
    let _ = srv::connect("[::1]:80"); // trap
    const LOCAL: &str = "127.0.0.1:9000";
    let _ = srv::connect(LOCAL); // trap
    let _ = LISTEN.to_socket_addrs(); // trap
    let _ = UPSTREAM.to_socket_addrs(); // dns
    let ip = parsed.ip();
    let pair = (ip, 8080);
    let _ = server.bind(pair); // trap: an IP and a port through a variable
    let named = (config_addr.as_str(), 8080);
    let _ = server.bind(named); // dns
}
fn resolve<A: ToSocketAddrs>(a: A) -> usize {
    a.to_socket_addrs().map(|a| a.count()).unwrap_or(0)
}
fn hand_on<A: ToSocketAddrs>(a: A) -> usize {
    resolve(a)
}
async fn through_own_generic_fns(host: String) {
    resolve("127.0.0.1:80"); // trap
    hand_on(LISTEN); // trap
    resolve(host.as_str()); // transitive
    hand_on(UPSTREAM); // transitive
    dial("10.0.0.5:2003"); // trap: text its caller fills with an address
    dial(&host); // transitive
    dial_each("10.0.0.5:2181"); // trap: split and trimmed, still the caller's text
    dial_each(&host); // transitive
}
fn dial(target: &str) -> usize {
    target.to_socket_addrs().map(|a| a.count()).unwrap_or(0)
}
fn dial_each(connect: &str) -> usize {
    let end = connect.find('/').unwrap_or(connect.len());
    let mut n = 0;
    for part in connect[..end].split(',') {
        n += part.trim().to_socket_addrs().map(|a| a.count()).unwrap_or(0);
    }
    let first = connect.split(',').next().unwrap_or_default().trim();
    n + first.to_socket_addrs().map(|a| a.count()).unwrap_or(0)
}
"#;

#[test]
fn a_generic_address_resolves_when_the_caller_gives_a_name() {
    let (app, found) = over_dependency(ADDR_DEP, "srv", ADDR_APP);
    let got = lines_and_categories(&app, &found);
    let want = tagged(
        ADDR_APP,
        &[("// dns", "dns"), ("// transitive", "transitive")],
    );
    assert_eq!(got, want, "findings (line, category)");
    // The chain ends at the dependency's own resolution.
    let bind = found
        .iter()
        .find(|f| f.finding.call.ends_with("bind_all"))
        .expect("`bind_all` given a host name is reported");
    let last = bind.finding.chain.last().expect("a chain");
    assert_eq!(last.callee, "addr.to_socket_addrs()");
}

const CLIENT_DEP: &str = r#"
use std::sync::{Condvar, Mutex};
pub struct Conn(Box<Inner>);
struct Inner {
    id: u32,
}
impl Conn {
    pub fn new() -> Conn {
        let conn = Conn(Box::new(Inner { id: 1 }));
        conn.handshake();
        conn
    }
    fn handshake(&self) {
        std::thread::sleep(std::time::Duration::from_millis(self.0.id as u64));
    }
}
pub struct Pool {
    protected: (Mutex<Vec<u32>>, Condvar),
}
impl Pool {
    fn protected(&self) -> &(Mutex<Vec<u32>>, Condvar) {
        &self.protected
    }
    pub fn wait_idle(&self) -> usize {
        let (lock, cond) = self.protected();
        let guard = lock.lock().unwrap();
        cond.wait(guard).unwrap().len()
    }
}
pub trait Queryable {
    fn query_iter(&mut self, q: &str) -> usize;
    fn query_drop(&mut self, q: &str) {
        self.query_iter(q);
    }
    fn query(&mut self, q: &str) -> usize {
        self.query_map(q)
    }
    fn query_map(&mut self, q: &str) -> usize {
        self.query_iter(q)
    }
    fn describe(&self) -> String {
        String::new()
    }
}
impl Queryable for Conn {
    fn query_iter(&mut self, q: &str) -> usize {
        std::thread::sleep(std::time::Duration::from_millis(q.len() as u64));
        0
    }
}
"#;

const CLIENT_APP: &str = r#"
use db::Queryable;
async fn handler(pool: db::Pool) {
    let mut conn = db::Conn::new(); // sleep
    conn.query_drop("SELECT 1"); // sleep
    let n = conn.query("SELECT 2"); // sleep
    let d = conn.describe(); // trap
    let idle = pool.wait_idle(); // thread_join
}
"#;

/// A tuple struct made by its name has its type, a fn returning a tuple
/// types what a `let (a, b)` binds, and a trait's provided method is
/// followed into the impl of the type it is called on.
#[test]
fn a_client_is_followed_through_its_own_types_and_traits() {
    let (app, found) = over_dependency(CLIENT_DEP, "db", CLIENT_APP);
    let got = lines_and_categories(&app, &found);
    let want = tagged(
        CLIENT_APP,
        &[("// sleep", "sleep"), ("// thread_join", "thread_join")],
    );
    assert_eq!(got, want, "findings (line, category)");
}

const GENERIC_POOL_DEP: &str = r#"
pub trait ManageConnection {
    type Connection;
    fn connect(&self) -> Self::Connection;
}
pub struct Error;
pub struct Pool<M: ManageConnection> {
    manager: M,
}
impl<M: ManageConnection> Pool<M> {
    pub fn get(&self) -> Result<PooledConnection<M>, Error> {
        Err(Error)
    }
}
pub struct PooledConnection<M: ManageConnection> {
    conn: Option<M::Connection>,
}
impl<M: ManageConnection> std::ops::Deref for PooledConnection<M> {
    type Target = M::Connection;
    fn deref(&self) -> &M::Connection {
        self.conn.as_ref().unwrap()
    }
}
pub struct FileManager;
pub struct FileConn;
impl FileConn {
    pub fn query(&self) -> usize {
        std::fs::read("table.db").map(|b| b.len()).unwrap_or(0)
    }
    pub fn ping(&self) -> bool {
        true
    }
}
impl ManageConnection for FileManager {
    type Connection = FileConn;
    fn connect(&self) -> FileConn {
        FileConn
    }
}
"#;

const GENERIC_POOL_APP: &str = r#"
type Db = pool::Pool<pool::FileManager>;
struct State {
    db: Db,
}
async fn handler(st: State) {
    let conn = st.db.get().ok().unwrap();
    let n = conn.query(); // fs
    let up = conn.ping(); // trap
}
"#;

/// A library's generic type keeps its arguments: `pool.get()` of a
/// `Pool<FileManager>` hands out a `PooledConnection<FileManager>`, which
/// derefs to the manager's associated `Connection`, whose methods are then
/// followed.
#[test]
fn a_pooled_connection_derefs_to_its_managers_connection() {
    let (app, found) = over_dependency(GENERIC_POOL_DEP, "pool", GENERIC_POOL_APP);
    let got = lines_and_categories(&app, &found);
    let want = tagged(GENERIC_POOL_APP, &[("// fs", "fs")]);
    assert_eq!(got, want, "findings (line, category)");
}

/// A Rust 2015 dependency: `use store::open_file;` is crate-relative.
const DEP_2015: &str = r#"
pub mod txn {
    use store::open_file;
    use std::time::Duration;
    pub fn begin() -> usize {
        let _ = Duration::from_secs(1);
        open_file()
    }
}
pub mod store {
    use std::fs;
    pub fn open_file() -> usize {
        fs::read("data.db").map(|b| b.len()).unwrap_or(0)
    }
}
"#;

/// A Rust 2015 crate's `use` paths start at its root (`std` and its extern
/// crates aside): read so, its helpers in other modules are followed.
#[test]
fn a_2015_dependencys_uses_start_at_its_root() {
    let config = Config::default();
    let file = syn::parse_file(DEP_2015).expect("fixture parses");
    let mut items = lower_file(&file);
    items.uses_from_crate_root(&[]);
    let root = vec!["crate".to_owned()];
    let mut dep_model = CrateModel::build([(root.as_slice(), &items)], &[]);
    dep_model.set_key("old#0");
    let dep_model = Arc::new(dep_model);
    let (app_file, app_model) = model_of(
        "async fn handler() {\n    old::txn::begin();\n}\n",
        "app",
        HashMap::from([("old".to_owned(), Arc::clone(&dep_model))]),
    );
    let options = Options::new(&config);
    let dep = analyze_file_in(&file, &options, &dep_model);
    let app = analyze_file_in(&app_file, &options, &app_model);
    let found = closure(&config, (&app, &app_model), ("old#0", &dep, &dep_model));
    assert_eq!(lines_and_categories(&app, &found), [(2, "fs")]);
}

const POOL_DEP: &str = r#"
pub struct ThreadPool { size: usize }
impl ThreadPool {
    pub fn new(size: usize) -> ThreadPool {
        ThreadPool { size }
    }
    pub fn execute<F>(&self, job: F)
    where
        F: FnOnce() + Send + 'static,
    {
        let _ = Box::new(job);
    }
    pub fn install<R, F: FnOnce() -> R + Send>(&self, op: F) -> R {
        op()
    }
}
pub trait EventHandler: Send + 'static {
    fn handle(&mut self, event: u32);
}
impl<F: FnMut(u32) + Send + 'static> EventHandler for F {
    fn handle(&mut self, event: u32) {
        self(event)
    }
}
pub fn watch<H>(handler: H) -> ThreadPool
where
    H: EventHandler,
{
    let _ = Box::new(handler);
    ThreadPool { size: 1 }
}
"#;

const POOL_APP: &str = r#"
async fn handler(path: String) {
    let pool = pool::ThreadPool::new(4);
    let p = path.clone();
    pool.execute(move || {
        let _ = std::fs::read(&p); // trap
    });
    pool.install(|| std::fs::read(&path)); // fs
    let q = path.clone();
    let _w = pool::watch(move |_| {
        let _ = std::fs::read(&q); // trap: a handler runs on the watcher's thread
    });
}
"#;

#[test]
fn a_closure_that_must_be_send_and_static_runs_on_another_thread() {
    let config = Config::default();
    let (_, dep_model) = model_of(POOL_DEP, "pool#0", HashMap::new());
    let dep_model = Arc::new(dep_model);
    let (app_file, app_model) = model_of(
        POOL_APP,
        "app",
        HashMap::from([("pool".to_owned(), Arc::clone(&dep_model))]),
    );
    let app = analyze_file_in(&app_file, &Options::new(&config), &app_model);
    let got: Vec<(usize, &str)> = app
        .findings
        .iter()
        .map(|f| (f.span.start().line, f.rule.category.name()))
        .collect();
    assert_eq!(got, [(8, "fs")]);
}

const BRANCHY_DEP: &str = r#"
pub struct Config { pub keylog: bool }
pub struct Term;
pub struct Client;
impl Client {
    pub fn build(config: &Config) -> Client {
        if config.keylog {
            let _ = std::fs::OpenOptions::new().append(true).open("keys.log");
        }
        Client
    }
}
impl Term {
    fn fast() -> std::io::Result<(u16, u16)> {
        Ok((80, 24))
    }
    pub fn size() -> std::io::Result<(u16, u16)> {
        if let Ok(s) = Term::fast() {
            return Ok(s);
        }
        let out = std::process::Command::new("tput").output()?;
        Ok((out.stdout.len() as u16, 0))
    }
    pub fn settings() -> String {
        std::fs::read_to_string("term.toml").unwrap_or_else(|_| {
            std::fs::read_to_string("/etc/term.toml").unwrap_or_default()
        })
    }
    pub fn recover() -> String {
        match Term::fast() {
            Ok(_) => String::new(),
            Err(_) => std::fs::read_to_string("/etc/term.toml").unwrap_or_default(),
        }
    }
    pub fn token() -> String {
        static TOKEN: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        TOKEN
            .get_or_init(|| std::fs::read_to_string("token").unwrap_or_default())
            .clone()
    }
    pub fn reread(follow: bool) -> u64 {
        if follow {
            std::fs::metadata("a").map(|m| m.len()).unwrap_or(0)
        } else {
            std::fs::symlink_metadata("a").map(|m| m.len()).unwrap_or(0)
        }
    }
    pub fn keylog() -> Option<std::fs::File> {
        let var = std::env::var_os("TERM_KEYLOG");
        open_log(var)
    }
    pub fn cert_dir() -> usize {
        match std::env::var("TERM_CERTS") {
            Ok(dir) => std::fs::read_dir(dir).map(|d| d.count()).unwrap_or(0),
            Err(_) => std::fs::read_dir("/etc/ssl/certs").map(|d| d.count()).unwrap_or(0),
        }
    }
    pub fn override_path() -> String {
        if let Some(p) = std::env::var_os("TERM_CONF") {
            return std::fs::read_to_string(p).unwrap_or_default();
        }
        String::new()
    }
    pub fn from_env() -> Option<String> {
        let p = std::env::var("TERM_RC").ok()?;
        std::fs::read_to_string(p).ok()
    }
    pub fn home_conf() -> u64 {
        let Some(home) = std::env::var_os("HOME") else {
            return 0;
        };
        std::fs::metadata(home).map(|m| m.len()).unwrap_or(0)
    }
}
fn open_log(var: Option<std::ffi::OsString>) -> Option<std::fs::File> {
    let path = var?;
    std::fs::File::create(path).ok()
}
pub fn seed() -> usize {
    fallback_seed()
}
#[cold]
fn fallback_seed() -> usize {
    std::fs::read("/var/lib/seed").map_or(0, |b| b.len())
}
pub struct Expect { buffer: String }
impl Expect {
    fn found(&self) -> Option<usize> { self.buffer.find('$') }
    pub fn wait_for_prompt(&mut self) -> Option<usize> {
        loop {
            if let Some(at) = self.found() {
                return Some(at);
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }
}
"#;

const BRANCHY_APP: &str = r#"
async fn handler(config: term::Config, expect: &mut term::Expect) {
    term::Client::build(&config); // trap: an opt-in flag
    term::Term::size(); // trap: a fallback after a fast path
    term::Term::settings(); // fs: the first read is on every path
    term::Term::recover(); // trap: an error arm
    term::Term::token(); // trap: once per process
    term::Term::reread(true); // fs: an ordinary branch
    term::Term::keylog(); // trap: a variable a debugging user sets
    term::Term::cert_dir(); // fs: the arm for an unset variable is the default
    term::Term::override_path(); // trap: an override read from the environment
    term::Term::from_env(); // trap: returns unless the variable is set
    term::Term::home_conf(); // fs: `HOME` is always set
    term::seed(); // trap: what a `#[cold]` fn does is rarely done
    expect.wait_for_prompt(); // sleep: a loop that returns when ready waits otherwise
    own_size(); // transitive: the workspace's own code is followed on every path
}
fn own_size() {
    if let Ok(s) = term::Term::size() {
        return;
    }
    std::thread::sleep(std::time::Duration::from_millis(5));
}
"#;

#[test]
fn a_dependency_blocks_through_what_it_does_on_every_path() {
    let (app, found) = over_dependency(BRANCHY_DEP, "term", BRANCHY_APP);
    let got = lines_and_categories(&app, &found);
    let mut want: Vec<(usize, &str)> = Vec::new();
    for (i, line) in BRANCHY_APP.lines().enumerate() {
        for (tag, category) in [
            ("// fs", "fs"),
            ("// sleep", "sleep"),
            ("// transitive", "transitive"),
        ] {
            if line.contains(tag) {
                want.push((i + 1, category));
            }
        }
    }
    assert_eq!(got, want, "findings (line, category)");
    // The chain names the read made on every path, not the fallback's.
    let settings = found
        .iter()
        .find(|f| f.finding.span.start().line == 5)
        .expect("`Term::settings()` is reported");
    let root = settings.finding.chain.last().expect("a chain");
    assert_eq!(root.span.start().line, 25, "{root:?}");
}

const CERTS_DEP: &str = r#"
pub fn load_certs() -> usize {
    let found = probe();
    found + read_all()
}
fn probe() -> usize {
    if std::path::Path::new("/etc/ssl/certs").exists() { 1 } else { 0 }
}
fn read_all() -> usize {
    std::fs::read_dir("/etc/ssl/certs").map(|d| d.count()).unwrap_or(0)
}
"#;

const CERTS_APP: &str = r#"
async fn connect() {
    certs::load_certs();
}
"#;

/// Within a category, the chain leads to the heavier call: a client that
/// probes a directory, then reads it, is reported for the read.
#[test]
fn a_read_comes_before_a_stat_in_the_chain() {
    let (_, found) = over_dependency(CERTS_DEP, "certs", CERTS_APP);
    assert_eq!(found.len(), 1);
    let f = &found[0].finding;
    assert_eq!(f.rule.code, "PG111", "{:?}", f.chain);
    assert_eq!(
        f.chain.last().map(|s| s.callee.as_str()),
        Some("std::fs::read_dir")
    );
}

/// `extern crate libssh2_sys as raw;` at a crate's root names the
/// dependency in every module of the crate, as rustc's extern prelude does.
#[test]
fn a_root_extern_crate_rename_names_the_dependency_everywhere() {
    let (_, sys) = model_of("pub fn handshake() {}\n", "inner_sys#0", HashMap::new());
    let sys = Arc::new(sys);
    let (_, lib) = model_of(
        "extern crate inner_sys as raw;\nmod session { pub fn start() { raw::handshake() } }\n",
        "lib#1",
        HashMap::from([("inner_sys".to_owned(), Arc::clone(&sys))]),
    );
    assert!(lib.is_extern("raw::handshake"));
    assert_eq!(
        lib.resolve_extern("raw::handshake"),
        Some(("inner_sys#0".to_owned(), "handshake".to_owned()))
    );
    assert_eq!(lib.resolve_extern("cooked::handshake"), None);
}

/// A `use` builds on a name another `use` of its module binds, wherever it
/// is written (`pub use ffi::begin;` above `use inner_sys as ffi;`), and a
/// `use glob::glob;` still names the crate `glob`.
#[test]
fn a_use_builds_on_another_use_of_its_module() {
    let (_, sys) = model_of("pub fn begin() {}\n", "inner_sys#0", HashMap::new());
    let sys = Arc::new(sys);
    let (_, lib) = model_of(
        "pub mod ffi_mod { pub use ffi::begin; use inner_sys as ffi; }\nuse inner_sys::begin;\n",
        "lib#1",
        HashMap::from([("inner_sys".to_owned(), Arc::clone(&sys))]),
    );
    assert_eq!(
        lib.resolve_path("crate::ffi_mod::begin"),
        "inner_sys::begin"
    );
    assert_eq!(
        lib.resolve_extern(&lib.resolve_path("crate::ffi_mod::begin")),
        Some(("inner_sys#0".to_owned(), "begin".to_owned()))
    );
    assert_eq!(lib.resolve_path("crate::begin"), "inner_sys::begin");
}

/// A lazy model counts the lookups that asked for it, not a build ahead of
/// them, so a caller can tell which models a walk went into.
#[test]
fn a_lazy_model_tells_whether_a_lookup_asked_for_it() {
    use pollguard_analysis::model::LazyModel;
    let built = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = Arc::clone(&built);
    let lazy = LazyModel::new("dep#1", move || {
        counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        CrateModel::default()
    });
    lazy.prebuild();
    assert!(!lazy.was_asked(), "built ahead, not asked for");
    let _ = lazy.get();
    assert!(lazy.was_asked());
    lazy.forget_asked();
    assert!(!lazy.was_asked());
    let _ = lazy.get();
    assert!(lazy.was_asked());
    assert_eq!(
        built.load(std::sync::atomic::Ordering::SeqCst),
        1,
        "built once"
    );
}

const SHARED_DEP: &str = r#"
use std::cell::RefCell;
use std::rc::Rc;
pub type Shared<T> = Rc<RefCell<T>>;
pub type Pair<A, B> = (A, B);
pub struct Version;
impl Version {
    pub fn get(&self) -> Option<Vec<u8>> {
        std::fs::read("000005.ldb").ok()
    }
    pub fn len(&self) -> usize {
        0
    }
}
pub struct Db {
    current: Shared<Version>,
}
impl Db {
    fn current(&self) -> Shared<Version> {
        self.current.clone()
    }
    pub fn get(&self) -> Option<Vec<u8>> {
        let current = self.current();
        let current = current.borrow_mut();
        current.get()
    }
    pub fn size(&self) -> usize {
        self.current.borrow().len()
    }
}
"#;

const SHARED_APP: &str = r#"
async fn lookup(db: &leveldb::Db) {
    let _ = db.get(); // fs
    let _ = db.size(); // trap
}
"#;

/// A generic type alias stands for its type with the arguments it is given:
/// rusty-leveldb's `Shared<Version>` is an `Rc<RefCell<Version>>`, whose
/// `borrow_mut()` hands out the `Version` whose `get` reads a table file.
#[test]
fn a_generic_alias_is_its_type_with_the_arguments_given() {
    let (app, found) = over_dependency(SHARED_DEP, "leveldb", SHARED_APP);
    assert_eq!(
        lines_and_categories(&app, &found),
        tagged(SHARED_APP, &[("// fs", "fs")])
    );
}

const BOUNDED_DEP: &str = r#"
pub trait AsHandle {
    fn handle(&mut self) -> Handle;
}
pub struct Handle;
impl Handle {
    pub fn exec(&mut self) {
        std::thread::sleep(std::time::Duration::from_secs(1));
    }
}
pub struct Stmt;
impl AsHandle for Stmt {
    fn handle(&mut self) -> Handle {
        Handle
    }
}
pub fn execute<S: AsHandle>(mut s: S) {
    let mut h = s.handle();
    h.exec();
}
pub fn execute_where<S>(s: &mut S)
where
    S: Send + AsHandle,
{
    s.handle().exec();
}
pub fn untyped<S: Send>(s: S) -> S {
    s
}
"#;

const BOUNDED_APP: &str = r#"
async fn run() {
    dep::execute(dep::Stmt); // sleep
    dep::execute_where(&mut dep::Stmt); // sleep
    dep::untyped(1);
}
"#;

/// A parameter of a bounded type parameter (`s: S`, `S: AsHandle`) is
/// known by its bound, as `impl AsHandle` is, and a required method of
/// the trait gives back the type it declares (odbc-api's
/// `statement.as_stmt_ref().exec_direct(..)`).
#[test]
fn a_bounded_type_parameter_is_typed_by_its_bound() {
    let (app, found) = over_dependency(BOUNDED_DEP, "dep", BOUNDED_APP);
    assert_eq!(
        lines_and_categories(&app, &found),
        [(3, "sleep"), (4, "sleep")]
    );
}

const SUPERTRAIT_DEP: &str = r#"
pub struct StmtRef;
impl StmtRef {
    pub fn fetch(&mut self) {
        std::thread::sleep(std::time::Duration::from_secs(1));
    }
}
pub trait AsStmt {
    fn as_stmt(&mut self) -> StmtRef;
}
pub trait Meta: AsStmt {}
pub trait Cursor: Meta + Send {
    fn next_row(&mut self) -> Option<Row> {
        self.as_stmt().fetch();
        Some(Row)
    }
}
pub struct Row;
impl Row {
    pub fn get(&mut self) {
        std::thread::sleep(std::time::Duration::from_secs(1));
    }
}
pub struct CursorImpl;
impl AsStmt for CursorImpl {
    fn as_stmt(&mut self) -> StmtRef {
        StmtRef
    }
}
impl Meta for CursorImpl {}
impl Cursor for CursorImpl {}
pub fn open() -> CursorImpl {
    CursorImpl
}
"#;

const SUPERTRAIT_APP: &str = r#"
use dep::Cursor;
async fn run() {
    let mut c = dep::open();
    while let Some(mut row) = c.next_row() {
        row.get();
    }
}
"#;

/// A provided method calls on `self` a method of a supertrait's
/// supertrait (odbc-api's `Cursor: ResultSetMetadata: AsStatementRef`),
/// and what it returns is typed by its declaration (`cursor.next_row()`
/// gives rows whose reads block).
#[test]
fn a_supertraits_method_and_a_provided_methods_return_are_followed() {
    let (app, found) = over_dependency(SUPERTRAIT_DEP, "dep", SUPERTRAIT_APP);
    assert_eq!(
        lines_and_categories(&app, &found),
        [(5, "sleep"), (6, "sleep")]
    );
}

/// A store whose writes reach the disk only under one dump policy, and an
/// accessor of the application's own that builds its client once.
const POLICY_DEP: &str = r#"
pub enum Policy { Auto, OnRequest }
pub struct Db { policy: Policy, map: Vec<u8> }
impl Db {
    pub fn new(policy: Policy) -> Db { Db { policy, map: Vec::new() } }
    pub fn set(&mut self, v: u8) {
        self.map.push(v);
        self.dumpdb();
    }
    fn dumpdb(&mut self) {
        match self.policy {
            Policy::Auto => self.dump(),
            _ => (),
        }
    }
    pub fn dump(&self) {
        std::fs::write("db.json", &self.map).unwrap();
    }
    pub fn sync(&self) {
        match self.policy {
            Policy::Auto => self.dump(),
            Policy::OnRequest => self.dump(),
        }
    }
}
"#;

const POLICY_APP: &str = r#"
use std::sync::OnceLock;
static STORE: OnceLock<String> = OnceLock::new();
fn cached() -> &'static String {
    STORE.get_or_init(|| std::fs::read_to_string("store.toml").unwrap())
}
fn settings() -> String {
    std::fs::read_to_string("settings.toml").unwrap()
}
async fn handler(db: &mut store::Db) {
    db.set(1); // trap
    db.dump(); // fs
    db.sync(); // fs
    let s = cached(); // trap
    let t = settings(); // transitive
    let u = STORE.get_or_init(|| std::fs::read_to_string("store.toml").unwrap()); // fs
}
"#;

/// A dependency's match on a setting with an arm that does nothing makes
/// its other arms a choice of the caller's (pickledb's dump policy); a
/// one-time initialisation does not make the fn around it block for its
/// callers, written in async code it is still reported.
#[test]
fn a_setting_with_a_do_nothing_arm_and_a_one_time_initialisation_are_not_every_call() {
    let (app, found) = over_dependency(POLICY_DEP, "store", POLICY_APP);
    let got = lines_and_categories(&app, &found);
    let want = tagged(
        POLICY_APP,
        &[("// fs", "fs"), ("// transitive", "transitive")],
    );
    assert_eq!(got, want);
}

/// A dependency that hands its connection to the caller's closure: the
/// closure's argument has the type the dependency declares, through the
/// receiver's own type arguments too.
const CLOSURE_DEP: &str = r#"
pub struct Conn { sock: std::net::TcpStream }
impl Conn {
    pub fn query(&mut self, q: &str) -> Vec<u8> {
        use std::io::Write;
        self.sock.write_all(q.as_bytes()).unwrap();
        Vec::new()
    }
    pub fn cached(&self) -> usize { 0 }
}
pub struct Pool<C> { conns: Vec<C> }
impl<C> Pool<C> {
    pub fn with<R>(&mut self, f: impl FnOnce(&mut C) -> R) -> R { f(&mut self.conns[0]) }
}
pub fn transaction<R, F>(f: F) -> R where F: FnOnce(&mut Conn) -> R { todo!() }
"#;

const CLOSURE_APP: &str = r#"
async fn handler(pool: &mut db::Pool<db::Conn>) {
    pool.with(|c| c.query("SELECT 1")); // net
    let n = pool.with(|c| c.cached()); // trap
    db::transaction(|c| c.query("UPDATE")); // net
}
"#;

#[test]
fn a_closure_handed_to_a_dependency_is_given_what_it_declares() {
    let (app, found) = over_dependency(CLOSURE_DEP, "db", CLOSURE_APP);
    let got = lines_and_categories(&app, &found);
    assert_eq!(got, tagged(CLOSURE_APP, &[("// net", "net")]));
}

const REQWEST: &str = r#"
pub struct ClientBuilder { verify: bool }
pub struct Client;
impl ClientBuilder {
    pub fn new() -> ClientBuilder { ClientBuilder { verify: true } }
    pub fn timeout(self, _secs: u64) -> ClientBuilder { self }
    pub fn danger_accept_invalid_certs(mut self, accept: bool) -> ClientBuilder {
        self.verify = !accept;
        self
    }
    pub fn build(self) -> std::io::Result<Client> {
        let _roots = std::fs::read_dir("/etc/ssl/certs")?;
        Ok(Client)
    }
}
"#;

const REQWEST_APP: &str = r#"
async fn fetch() {
    let _ = reqwest::ClientBuilder::new().timeout(5).build(); // fs
    let _ = reqwest::ClientBuilder::new().danger_accept_invalid_certs(false).build(); // fs
    let _ = reqwest::ClientBuilder::new().danger_accept_invalid_certs(true).timeout(5).build(); // trap
}
"#;

/// A builder setting that turns off what `build()` blocks on
/// ([`catalog::DISARMS`]): reqwest's `danger_accept_invalid_certs(true)`
/// loads no CA certificates; `false`, or no such setting, still does.
#[test]
fn a_builder_setting_in_the_chain_turns_its_build_off() {
    let (app, found) = over_dependency(REQWEST, "reqwest", REQWEST_APP);
    assert_eq!(
        lines_and_categories(&app, &found),
        tagged(REQWEST_APP, &[("// fs", "fs")])
    );
}
