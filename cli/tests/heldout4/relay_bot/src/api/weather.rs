use std::time::Duration;

use reqwest::blocking::Client;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct Forecast {
    pub city: String,
    pub temp_c: f64,
    pub description: String,
}

impl Forecast {
    pub fn summary(&self) -> String {
        format!("{}: {:.1}°C, {}", self.city, self.temp_c, self.description)
    }
}

#[derive(Debug, Deserialize)]
struct GeoHit {
    name: String,
}

pub struct WeatherClient {
    http: Client,
    key: String,
    base: String,
}

impl WeatherClient {
    pub fn new(key: &str) -> reqwest::Result<Self> {
        Ok(Self {
            http: Client::builder().timeout(Duration::from_secs(5)).build()?,
            key: key.to_owned(),
            base: "https://api.weather.example.com/v2".to_owned(),
        })
    }

    pub fn current(&self, city: &str) -> reqwest::Result<Forecast> {
        self.http
            .get(format!("{}/current", self.base))
            .query(&[("q", city), ("key", &self.key)])
            .send()?
            .error_for_status()?
            .json()
    }

    pub fn resolve(&self, city: &str) -> reqwest::Result<String> {
        let hits: Vec<GeoHit> = self
            .http
            .get(format!("{}/geocode", self.base))
            .query(&[("q", city), ("key", &self.key)])
            .send()?
            .json()?;
        Ok(hits.into_iter().next().map(|h| h.name).unwrap_or_else(|| city.to_owned()))
    }
}
