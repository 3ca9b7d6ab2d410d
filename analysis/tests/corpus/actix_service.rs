// An actix-web service: shared state in web::Data, file serving, a legacy
// config loader, and the offloading helpers actix provides.
use actix_files::NamedFile;
use actix_web::{get, post, web, HttpRequest, HttpResponse, Responder};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Mutex, RwLock};

pub struct AppState {
    pub hits: Mutex<u64>,
    pub sessions: RwLock<HashMap<String, String>>,
    pub jobs: tokio::sync::Mutex<Vec<String>>,
    pub static_dir: PathBuf,
}

#[get("/")]
async fn index(data: web::Data<AppState>) -> impl Responder {
    let mut hits = data.hits.lock().unwrap(); //~ lock
    *hits += 1;
    HttpResponse::Ok().body(format!("visit #{hits}"))
}

#[get("/session/{id}")]
async fn session(req: HttpRequest, data: web::Data<AppState>) -> impl Responder {
    let id = req.match_info().get("id").unwrap_or_default();
    let sessions = data.sessions.read().unwrap(); //~ lock
    match sessions.get(id) {
        Some(user) => HttpResponse::Ok().body(user.clone()),
        None => HttpResponse::NotFound().finish(),
    }
}

#[get("/static/{name}")]
async fn static_file(name: web::Path<String>, data: web::Data<AppState>) -> actix_web::Result<NamedFile> {
    let path = data.static_dir.join(name.into_inner()); //~ ok(thread_join)
    if !path.is_file() { //~ fs
        return Err(actix_web::error::ErrorNotFound("no such file"));
    }
    Ok(NamedFile::open(path)?) //~ fs
}

#[get("/static-async/{name}")]
async fn static_file_async(name: web::Path<String>) -> actix_web::Result<NamedFile> {
    Ok(NamedFile::open_async(name.into_inner()).await?) //~ ok(fs)
}

#[post("/jobs")]
async fn enqueue(body: String, data: web::Data<AppState>) -> impl Responder {
    let mut jobs = data.jobs.lock().await; //~ ok(lock)
    jobs.push(body);
    HttpResponse::Accepted().finish()
}

#[post("/thumbnail")]
async fn thumbnail(body: web::Bytes, data: web::Data<AppState>) -> actix_web::Result<HttpResponse> {
    let out = data.static_dir.join("thumb.png");
    let written = web::block(move || {
        std::thread::sleep(std::time::Duration::from_millis(5)); //~ ok(sleep)
        std::fs::write(&out, &body) //~ ok(fs)
    })
    .await?;
    written?;
    Ok(HttpResponse::Created().finish())
}

#[get("/config")]
async fn config() -> HttpResponse {
    let raw = std::fs::read_to_string("/etc/app/config.toml") //~ fs
        .unwrap_or_default();
    let parsed: HashMap<String, String> = toml::from_str(&raw).unwrap_or_default();
    HttpResponse::Ok().json(parsed)
}

#[get("/version")]
async fn version() -> HttpResponse {
    let output = std::process::Command::new("git")
        .args(["describe", "--tags"])
        .output(); //~ process
    let tag = output.map(|o| String::from_utf8_lossy(&o.stdout).into_owned()).unwrap_or_default();
    HttpResponse::Ok().body(tag)
}

#[get("/upstream")]
async fn upstream() -> HttpResponse {
    let client = awc::Client::default();
    let mut resp = client.get("http://backend/health").send().await.unwrap(); //~ ok(http_blocking)
    let body = resp.body().await.unwrap_or_default();
    HttpResponse::Ok().body(body)
}

#[get("/legacy")]
async fn legacy() -> HttpResponse {
    let body = reqwest::blocking::get("http://legacy/status") //~ http_blocking
        .and_then(|r| r.text())
        .unwrap_or_default();
    HttpResponse::Ok().body(body)
}

#[get("/report")]
async fn report() -> HttpResponse {
    let totals = futures::executor::block_on(compute_totals()); //~ block_on
    HttpResponse::Ok().body(totals.to_string())
}

async fn compute_totals() -> u64 {
    42
}

pub fn config_routes(cfg: &mut web::ServiceConfig) {
    let seed = std::fs::read_to_string("seed.txt").unwrap_or_default(); //~ ok(fs)
    cfg.app_data(web::Data::new(seed))
        .service(index)
        .service(session)
        .service(static_file)
        .service(enqueue)
        .service(thumbnail)
        .service(config)
        .service(version)
        .route("/ping", web::get().to(|| async {
            std::thread::sleep(std::time::Duration::from_millis(1)); //~ sleep
            HttpResponse::Ok().finish()
        }));
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let state = web::Data::new(AppState {
        hits: Mutex::new(0),
        sessions: RwLock::new(HashMap::new()),
        jobs: tokio::sync::Mutex::new(Vec::new()),
        static_dir: PathBuf::from("./static"),
    });
    actix_web::HttpServer::new(move || actix_web::App::new().app_data(state.clone()).configure(config_routes))
        .bind(("0.0.0.0", 8080))?
        .run()
        .await
}
