use std::io::Write;
use std::sync::Arc;

use tokio::sync::Mutex as AsyncMutex;
use tonic::{Request, Response, Status};

use crate::config::Settings;
use crate::proto::inventory_server::Inventory;
use crate::proto::*;
use crate::store::{self, Cache, Item, SqliteStore};
use crate::telemetry;

#[derive(Clone)]
pub struct InventoryService {
    store: Arc<SqliteStore>,
    cache: Arc<Cache>,
    settings: Arc<Settings>,
    audit: Arc<AsyncMutex<Vec<String>>>,
}

impl InventoryService {
    pub fn new(store: Arc<SqliteStore>, cache: Arc<Cache>, settings: Arc<Settings>) -> Self {
        Self {
            store,
            cache,
            settings,
            audit: Arc::new(AsyncMutex::new(Vec::new())),
        }
    }

    pub async fn warm_cache(&self) {
        match self.store.list(500) { //~ miss(db), fp(lock)
            Ok(items) => {
                for item in items {
                    self.cache.put(item); //~ lock
                }
            }
            Err(e) => tracing::warn!(error = %e, "cache warm-up failed"),
        }
    }

    async fn record(&self, entry: String) {
        let mut audit = self.audit.lock().await; //~ ok(lock)
        audit.push(entry);
        if audit.len() > 10_000 {
            audit.drain(..5_000);
        }
    }

    fn lookup(&self, sku: &str) -> Result<Option<Item>, Status> {
        if let Some(hit) = self.cache.get(sku) {
            return Ok(Some(hit));
        }
        let item = self.store.get(sku).map_err(internal)?;
        if let Some(ref it) = item {
            self.cache.put(it.clone());
        }
        Ok(item)
    }
}

#[tonic::async_trait]
impl Inventory for InventoryService {
    async fn get_item(&self, request: Request<GetItemRequest>) -> Result<Response<ItemReply>, Status> {
        let sku = store::normalize_sku(&request.get_ref().sku);
        let item = self.lookup(&sku)?; //~ db
        self.record(format!("get {sku}")).await;
        item.map(|i| Response::new(to_reply(i)))
            .ok_or_else(|| Status::not_found(sku))
    }

    async fn list_items(
        &self,
        request: Request<ListItemsRequest>,
    ) -> Result<Response<ListItemsReply>, Status> {
        let limit = request.into_inner().limit.clamp(1, 1000) as i64;
        let store = Arc::clone(&self.store);
        let items = tokio::task::spawn_blocking(move || store.list(limit)) //~ ok(db)
            .await
            .map_err(|e| Status::internal(e.to_string()))?
            .map_err(internal)?;
        Ok(Response::new(ListItemsReply {
            items: items.into_iter().map(to_reply).collect(),
        }))
    }

    async fn reserve(&self, request: Request<ReserveRequest>) -> Result<Response<ReserveReply>, Status> {
        let req = request.into_inner();
        if req.quantity > self.settings.max_reserve {
            return Err(Status::invalid_argument("quantity above reservation limit"));
        }
        let sku = store::normalize_sku(&req.sku);
        let remaining = self.store.adjust(&sku, -(req.quantity as i64)) //~ db
            .map_err(internal)?
            .ok_or_else(|| Status::not_found(&sku))?;
        self.cache.invalidate(&sku); //~ lock
        if remaining < 0 {
            self.store.adjust(&sku, req.quantity as i64).map_err(internal)?; //~ db
            return Err(Status::failed_precondition("insufficient stock"));
        }
        self.record(format!("reserve {sku} x{}", req.quantity)).await;
        Ok(Response::new(ReserveReply { remaining }))
    }

    async fn import(&self, request: Request<ImportRequest>) -> Result<Response<ImportReply>, Status> {
        let req = request.into_inner();
        let path = self.settings.import_file(&req.file_name); //~ ok(fs)
        let raw = std::fs::read_to_string(&path).map_err(io_status)?; //~ fs
        let mut imported = 0u64;
        for line in raw.lines().skip(1) {
            let Some(item) = parse_csv_line(line) else {
                continue;
            };
            self.store.upsert(&item).map_err(internal)?; //~ db
            self.cache.invalidate(&item.sku); //~ lock
            imported += 1;
        }
        tokio::fs::rename(&path, path.with_extension("done")) //~ ok(fs)
            .await
            .map_err(io_status)?;
        self.record(format!("import {} rows from {}", imported, req.file_name)).await;
        Ok(Response::new(ImportReply { imported }))
    }

    async fn export(&self, request: Request<ExportRequest>) -> Result<Response<ExportReply>, Status> {
        let req = request.into_inner();
        let items = self.store.list(i64::MAX).map_err(internal)?; //~ miss(db), fp(lock)
        let path = self.settings.import_file(&format!("{}.csv", req.name)); //~ ok(fs)
        let mut out = std::fs::File::create(&path).map_err(io_status)?; //~ fs
        for item in &items {
            out.write_all(format_csv(item).as_bytes()).map_err(io_status)?; //~ fs
        }
        out.sync_all().map_err(io_status)?; //~ fs
        Ok(Response::new(ExportReply {
            written: items.len() as u64,
        }))
    }

    async fn compact(&self, _request: Request<CompactRequest>) -> Result<Response<CompactReply>, Status> {
        let store = self.store.clone();
        let res = tokio::task::spawn_blocking(move || store.checkpoint()).await; //~ ok(db)
        let cache = self.cache.clone();
        let (cached, _) = tokio::task::spawn_blocking(move || cache.stats()) //~ ok(lock)
            .await
            .unwrap_or((0, 0));
        tracing::info!(cached, "compaction finished");
        let ttl = self.cache.ttl(); //~ ok(lock)
        tokio::time::sleep(ttl / 10).await; //~ ok(sleep)
        Ok(Response::new(CompactReply {
            ok: matches!(res, Ok(Ok(()))),
        }))
    }

    async fn health(&self, _request: Request<HealthRequest>) -> Result<Response<HealthReply>, Status> {
        let items = self.store.count().await.map_err(internal)?;
        let (cached, capacity) = self.cache.stats(); //~ lock
        let host = telemetry::hostname(); //~ process
        Ok(Response::new(HealthReply {
            items,
            cached: cached as u64,
            capacity: capacity as u64,
            host,
            uptime: telemetry::uptime_secs(),
        }))
    }
}

fn internal(e: rusqlite::Error) -> Status {
    Status::internal(e.to_string())
}

fn io_status(e: std::io::Error) -> Status {
    Status::unavailable(e.to_string())
}

fn to_reply(i: Item) -> ItemReply {
    ItemReply {
        sku: i.sku,
        name: i.name,
        quantity: i.quantity,
        price_cents: i.price_cents,
    }
}

fn format_csv(i: &Item) -> String {
    format!("{},{},{},{}\n", i.sku, i.name.replace(',', " "), i.quantity, i.price_cents)
}

fn parse_csv_line(line: &str) -> Option<Item> {
    let mut parts = line.split(',');
    Some(Item {
        sku: store::normalize_sku(parts.next()?),
        name: parts.next()?.trim().to_owned(),
        quantity: parts.next()?.trim().parse().ok()?,
        price_cents: parts.next()?.trim().parse().ok()?,
    })
}
