//! The charts in headless Chromium: a chart draws non-blank on a created canvas,
//! refuses bad data and an unsized canvas with a message, and the palette is
//! the charts' colours. (The loss chart and the per-step bars are drawn in JS,
//! www/charts/: their tests are tests/e2e/charts.test.mjs.)
//!
//! `CHROMEDRIVER=/usr/bin/chromedriver CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
//!  cargo test --target wasm32-unknown-unknown --test wasm_browser`
#![cfg(target_arch = "wasm32")]

use rnn_lab::web::charts::{
    self, Scale, colors,
    why::{CurvesData, draw_curves},
};
use serde_json::json;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::HtmlCanvasElement;

wasm_bindgen_test_configure!(run_in_browser);

/// A canvas of `w`×`h` device pixels, in the document (text is measured in the DOM).
fn canvas(w: u32, h: u32) -> HtmlCanvasElement {
    let doc = web_sys::window().unwrap().document().unwrap();
    let c: HtmlCanvasElement = doc.create_element("canvas").unwrap().dyn_into().unwrap();
    c.set_width(w);
    c.set_height(h);
    doc.body().unwrap().append_child(&c).unwrap();
    c
}

/// RGBA bytes of the whole canvas (getImageData, called by name).
fn pixels(c: &HtmlCanvasElement) -> Vec<u8> {
    let ctx = c.get_context("2d").unwrap().unwrap();
    let f: js_sys::Function = js_sys::Reflect::get(&ctx, &"getImageData".into())
        .unwrap()
        .dyn_into()
        .unwrap();
    let args = js_sys::Array::of4(&0.into(), &0.into(), &c.width().into(), &c.height().into());
    let image = f.apply(&ctx, &args).unwrap();
    let data = js_sys::Reflect::get(&image, &"data".into()).unwrap();
    js_sys::Uint8ClampedArray::from(data).to_vec()
}

/// Pixels that are drawn (opaque) and not the background.
fn ink(px: &[u8]) -> usize {
    px.chunks(4)
        .filter(|p| p[3] > 0 && (p[0], p[1], p[2]) != (255, 255, 255))
        .count()
}

/// A plain JS object from JSON (what the page passes).
fn js(v: serde_json::Value) -> JsValue {
    js_sys::JSON::parse(&v.to_string()).unwrap()
}

fn message(e: wasm_bindgen::JsError) -> String {
    let v = JsValue::from(e);
    js_sys::Reflect::get(&v, &"message".into())
        .unwrap()
        .as_string()
        .unwrap()
}

#[wasm_bindgen_test]
fn a_chart_draws_its_data_on_a_created_canvas() {
    let empty = canvas(640, 360);
    assert_eq!(ink(&pixels(&empty)), 0, "a new canvas is blank");
    let data = js(json!({
        "series": [{"name": "loss", "values": (1..=50).map(|i| 3.0 / f64::from(i)).collect::<Vec<_>>()}],
        "reference": {"name": "floor", "value": 0.5},
        "title": "curves", "x_desc": "step", "y_desc": "loss",
    }));
    let data: CurvesData = charts::data("curves", data).unwrap();
    draw_curves(&empty, &data, Scale { dpr: 1.0 }).unwrap();
    assert!(
        ink(&pixels(&empty)) > (640 * 360) / 100,
        "at least 1% of the canvas is ink"
    );
}

#[wasm_bindgen_test]
fn charts_refuse_bad_data_and_unsized_canvases() {
    let c = canvas(300, 200);
    let err = charts::data::<CurvesData>("curves", JsValue::from_str("garbage")).unwrap_err();
    assert!(message(err).contains("curves chart: bad data"));
    let err = draw_curves(&c, &CurvesData::default(), Scale { dpr: 1.0 });
    assert!(err.is_ok(), "an empty chart draws its frame");
    let zero = canvas(0, 0);
    let err = draw_curves(&zero, &CurvesData::default(), Scale { dpr: 1.0 }).unwrap_err();
    assert!(message(err).contains("no size"));
}

#[wasm_bindgen_test]
fn palette_gives_one_css_colour_per_weight_matrix() {
    let p: serde_json::Value = serde_wasm_bindgen::from_value(charts::palette().unwrap()).unwrap();
    let names = ["W_xh", "W_hh", "W_hy"];
    let colours: Vec<&str> = names.iter().map(|n| p[n].as_str().unwrap()).collect();
    // The CSS colours are the very ones the Rust charts draw with…
    let css = |c: plotters::style::RGBColor| format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2);
    assert_eq!(
        colours,
        [css(colors::W_XH), css(colors::W_HH), css(colors::W_HY)]
    );
    // …and three different colours.
    assert!(colours[0] != colours[1] && colours[1] != colours[2] && colours[0] != colours[2]);
}
