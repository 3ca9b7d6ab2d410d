// Filters and services built from closures: warp's combinators and hyper's
// service_fn, where the async context is an `async move` inside a closure.
use hyper::service::service_fn;
use hyper::{Body, Request, Response};
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use warp::Filter;

#[derive(Clone)]
pub struct Ctx {
    pub visits: Arc<Mutex<u64>>,
    pub root: std::path::PathBuf,
    pub notes: Arc<tokio::sync::RwLock<Vec<String>>>,
}

pub fn routes(ctx: Ctx) -> impl Filter<Extract = impl warp::Reply, Error = warp::Rejection> + Clone {
    let with_ctx = warp::any().map(move || ctx.clone());

    let index = warp::path::end().map(|| {
        let html = std::fs::read_to_string("static/index.html").unwrap_or_default(); //~ miss(fs)
        warp::reply::html(html)
    });

    let file = warp::path!("files" / String)
        .and(with_ctx.clone())
        .and_then(|name: String, ctx: Ctx| async move {
            let path = ctx.root.join(&name); //~ ok(thread_join)
            match std::fs::read(&path) { //~ fs
                Ok(bytes) => Ok::<_, warp::Rejection>(bytes),
                Err(_) => Err(warp::reject::not_found()),
            }
        });

    let count = warp::path!("count")
        .and(with_ctx.clone())
        .and_then(count_handler);

    let notes = warp::path!("notes")
        .and(with_ctx)
        .and_then(|ctx: Ctx| async move {
            let n = ctx.notes.read().await.len(); //~ ok(lock)
            Ok::<_, Infallible>(n.to_string())
        });

    index.or(file).or(count).or(notes)
}

async fn count_handler(ctx: Ctx) -> Result<String, Infallible> {
    let mut v = ctx.visits.lock().unwrap(); //~ lock
    *v += 1;
    Ok(v.to_string())
}

pub async fn hyper_server(addr: std::net::SocketAddr, ctx: Ctx) -> Result<(), hyper::Error> {
    let make = hyper::service::make_service_fn(move |_conn| {
        let ctx = ctx.clone();
        async move {
            Ok::<_, Infallible>(service_fn(move |req: Request<Body>| {
                let ctx = ctx.clone();
                async move {
                    let path = ctx.root.join(req.uri().path().trim_start_matches('/'));
                    let body = if path.exists() { //~ fs
                        tokio::fs::read(&path).await.unwrap_or_default() //~ ok(fs)
                    } else {
                        Vec::new()
                    };
                    let total = *ctx.visits.lock().unwrap(); //~ lock
                    Ok::<_, Infallible>(Response::new(Body::from(format!("{} {}", body.len(), total))))
                }
            }))
        }
    });
    hyper::Server::bind(&addr).serve(make).await
}

pub async fn read_request_body(req: Request<Body>) -> Vec<u8> {
    let bytes = hyper::body::to_bytes(req.into_body()).await.unwrap_or_default(); //~ ok(net)
    bytes.to_vec()
}

pub async fn tower_layer_style<S>(inner: S, req: Request<Body>) -> Response<Body>
where
    S: Fn(Request<Body>) -> Response<Body>,
{
    let started = std::time::Instant::now();
    let resp = inner(req);
    if started.elapsed().as_millis() > 100 {
        let mut log = std::fs::OpenOptions::new()
            .append(true)
            .open("slow.log") //~ fs
            .unwrap();
        use std::io::Write;
        writeln!(log, "slow request").ok(); //~ fs
    }
    resp
}

pub async fn client_call(url: &str) -> String {
    let client = reqwest::blocking::Client::new(); //~ http_blocking
    let resp = client.get(url).send(); //~ http_blocking
    resp.and_then(|r| r.text()).unwrap_or_default()
}

pub async fn client_call_async(url: &str) -> String {
    let client = reqwest::Client::new();
    let resp = client.get(url).send().await; //~ ok(http_blocking)
    match resp {
        Ok(r) => r.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    }
}
