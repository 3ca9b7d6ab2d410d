use std::io::{Cursor, Read, Seek};
use std::path::Path;

use hound::{SampleFormat, WavReader, WavSpec, WavWriter};

#[derive(Clone, Debug)]
pub struct Probe {
    pub channels: u16,
    pub sample_rate: u32,
    pub bits: u16,
    pub frames: u32,
    pub peak: f32,
}

impl Probe {
    pub fn seconds(&self) -> f64 {
        self.frames as f64 / self.sample_rate as f64
    }
}

/// Reads header and samples from any WAV source.
pub fn probe_reader<R: Read + Seek>(src: R) -> anyhow::Result<Probe> {
    let mut reader = WavReader::new(src)?;
    let spec = reader.spec();
    let frames = reader.duration();
    let full = (1i64 << (spec.bits_per_sample.max(1) - 1)) as f32;
    let peak = match spec.sample_format {
        SampleFormat::Float => reader.samples::<f32>().filter_map(Result::ok).fold(0.0f32, |m, s| m.max(s.abs())),
        SampleFormat::Int => reader
            .samples::<i32>()
            .filter_map(Result::ok)
            .fold(0.0f32, |m, s| m.max((s as f32 / full).abs())),
    };
    Ok(Probe { channels: spec.channels, sample_rate: spec.sample_rate, bits: spec.bits_per_sample, frames, peak })
}

pub fn probe_file(path: &Path) -> anyhow::Result<Probe> {
    let f = std::io::BufReader::new(std::fs::File::open(path)?);
    probe_reader(f)
}

pub fn probe_bytes(bytes: &[u8]) -> anyhow::Result<Probe> {
    probe_reader(Cursor::new(bytes))
}

/// Header-only check: opens the file and reads the spec.
pub fn spec_of(path: &Path) -> anyhow::Result<WavSpec> {
    Ok(WavReader::open(path)?.spec())
}

fn tone_spec() -> WavSpec {
    WavSpec { channels: 1, sample_rate: 16_000, bits_per_sample: 16, sample_format: SampleFormat::Int }
}

fn tone_samples(freq: f32, secs: f32, spec: WavSpec) -> impl Iterator<Item = i16> {
    let n = (spec.sample_rate as f32 * secs) as u32;
    (0..n).map(move |t| {
        let x = (t as f32 / spec.sample_rate as f32 * freq * std::f32::consts::TAU).sin();
        (x * i16::MAX as f32 * 0.5) as i16
    })
}

pub fn write_tone(path: &Path, freq: f32, secs: f32) -> anyhow::Result<()> {
    let spec = tone_spec();
    let mut w = WavWriter::create(path, spec)?;
    for s in tone_samples(freq, secs, spec) {
        w.write_sample(s)?;
    }
    w.finalize()?;
    Ok(())
}

pub fn tone_bytes(freq: f32, secs: f32) -> anyhow::Result<Vec<u8>> {
    let spec = tone_spec();
    let mut buf = Cursor::new(Vec::new());
    {
        let mut w = WavWriter::new(&mut buf, spec)?;
        for s in tone_samples(freq, secs, spec) {
            w.write_sample(s)?;
        }
        w.finalize()?;
    }
    Ok(buf.into_inner())
}
