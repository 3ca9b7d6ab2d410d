// A Tonic-style gRPC service, the kind the forum user built: generated
// traits, hand-written handlers that reach for blocking helpers.
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use tonic::{Request, Response, Status};

pub struct Inventory {
    root: PathBuf,
    cache: Arc<Mutex<HashMap<String, Vec<u8>>>>,
    index: RwLock<Vec<String>>,
    stock: Arc<tokio::sync::Mutex<HashMap<String, u32>>>,
}

#[tonic::async_trait]
impl inventory_server::Inventory for Inventory {
    async fn get_item(&self, req: Request<GetItem>) -> Result<Response<Item>, Status> {
        let id = req.into_inner().id;
        let path = self.root.join(&id); //~ ok(fs)
        if !path.exists() { //~ fs
            return Err(Status::not_found(id));
        }
        let bytes = fs::read(&path).map_err(|e| Status::internal(e.to_string()))?; //~ fs
        self.cache.lock().unwrap().insert(id.clone(), bytes.clone()); //~ lock
        Ok(Response::new(Item::decode(&bytes[..])?))
    }

    async fn list_items(&self, _req: Request<ListItems>) -> Result<Response<Items>, Status> {
        let names = self.index.read().unwrap().clone(); //~ lock
        let joined = names.join(","); //~ ok(thread_join)
        let mut stock = self.stock.lock().await; //~ ok(lock)
        stock.entry(joined.clone()).or_insert(0);
        Ok(Response::new(Items { names }))
    }

    async fn reserve(&self, req: Request<Reserve>) -> Result<Response<Reserved>, Status> {
        let r = req.into_inner();
        // Simulates a slow backend while the real one is being written.
        std::thread::sleep(Duration::from_millis(r.delay_ms)); //~ sleep
        let mut stock = self.stock.lock().await;
        *stock.entry(r.id).or_insert(0) -= 1;
        Ok(Response::new(Reserved {}))
    }

    async fn export(&self, req: Request<Export>) -> Result<Response<Exported>, Status> {
        let dir = self.root.clone();
        let target = req.into_inner().target;
        let written = tokio::task::spawn_blocking(move || {
            let data = fs::read_dir(&dir)?; //~ ok(fs)
            fs::write(&target, format!("{}", data.count())) //~ ok(fs)
        })
        .await
        .map_err(|e| Status::internal(e.to_string()))?;
        written.map_err(|e| Status::internal(e.to_string()))?;
        Ok(Response::new(Exported {}))
    }

    async fn reload(&self, _req: Request<Reload>) -> Result<Response<Reloaded>, Status> {
        let text = tokio::fs::read_to_string(self.root.join("index.txt")).await?; //~ ok(fs)
        let names: Vec<String> = text.lines().map(str::to_owned).collect();
        *self.index.write().unwrap() = names; //~ lock
        let meta = tokio::fs::metadata(&self.root).await?; //~ ok(fs)
        let canon = self.root.canonicalize()?; //~ fs
        Ok(Response::new(Reloaded { len: meta.len(), root: canon.display().to_string() }))
    }
}

fn load_snapshot(path: &Path) -> std::io::Result<Vec<u8>> {
    std::fs::read(path) //~ ok(fs)
}
