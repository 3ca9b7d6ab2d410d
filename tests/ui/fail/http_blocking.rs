// A stand-in for the `reqwest` crate, which the UI tests cannot depend on:
// the attribute on the fn does not see this module, so `reqwest::` names the
// crate as it would in a real project.
mod reqwest {
    pub mod blocking {
        pub fn get(_url: &str) -> Result<Response, ()> {
            Ok(Response)
        }
        pub struct Response;
        impl Response {
            pub fn text(self) -> Result<String, ()> {
                Ok(String::new())
            }
        }
    }
}

#[pollguard::no_blocking]
async fn fetch(url: &str) -> String {
    reqwest::blocking::get(url).unwrap().text().unwrap()
}

fn main() {
    drop(fetch("http://localhost/"));
}
