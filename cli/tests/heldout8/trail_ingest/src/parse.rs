use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use crate::store::{Track, TrackPoint};

pub fn track_from_gpx(id: &str, gpx: &gpx::Gpx) -> Track {
    let mut points = Vec::new();
    for trk in &gpx.tracks {
        for seg in &trk.segments {
            for wp in &seg.points {
                let p = wp.point();
                points.push(TrackPoint { lat: p.y(), lon: p.x(), ele: wp.elevation, t: None });
            }
        }
    }
    let name = gpx.tracks.first().and_then(|t| t.name.clone()).unwrap_or_else(|| id.to_string());
    Track { id: id.to_string(), name, points }
}

pub fn read_gpx_file(path: &Path) -> Result<gpx::Gpx, gpx::errors::GpxError> {
    let reader = BufReader::new(File::open(path)?);
    gpx::read(reader)
}

pub fn track_from_geojson(id: &str, gj: &geojson::GeoJson) -> Track {
    let mut points = Vec::new();
    if let geojson::GeoJson::FeatureCollection(fc) = gj {
        for f in &fc.features {
            if let Some(geojson::Value::LineString(ls)) = f.geometry.as_ref().map(|g| &g.value) {
                for c in ls {
                    points.push(TrackPoint { lon: c[0], lat: c[1], ele: c.get(2).copied(), t: None });
                }
            }
        }
    }
    Track { id: id.to_string(), name: id.to_string(), points }
}

pub fn shapes_to_track(id: &str, shp: &Path) -> Result<Track, shapefile::Error> {
    let mut points = Vec::new();
    for (shape, _record) in shapefile::read(shp)? {
        if let shapefile::Shape::Polyline(pl) = shape {
            for part in pl.parts() {
                points.extend(part.iter().map(|p| TrackPoint { lat: p.y, lon: p.x, ele: None, t: None }));
            }
        }
    }
    Ok(Track { id: id.to_string(), name: id.to_string(), points })
}
