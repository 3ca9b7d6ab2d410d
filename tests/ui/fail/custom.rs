// pollguard::custom: the user's own blocking fns, by path or by marker.
// (`http_blocking`, for `reqwest::blocking` and `ureq`, needs those crates:
// the engine's unit tests cover it; this crate cannot depend on them.)
mod legacy {
    pub fn fetch_all() -> Vec<u8> {
        Vec::new()
    }
}

#[pollguard::no_blocking(blocking("legacy::fetch_all"))]
async fn by_path() -> usize {
    legacy::fetch_all().len()
}

#[pollguard::no_blocking]
mod db {
    #[pollguard::blocking]
    pub fn query(sql: &str) -> usize {
        sql.len()
    }

    pub async fn count() -> usize {
        query("select count(*) from users")
    }
}

fn main() {}
