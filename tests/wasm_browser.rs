//! The charts in headless Chromium: each draws non-blank on a created canvas,
//! in the palette's colours, and refuses bad data with a message.
//!
//! `CHROMEDRIVER=/usr/bin/chromedriver CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
//!  cargo test --target wasm32-unknown-unknown --test wasm_browser`
#![cfg(target_arch = "wasm32")]

use rnn_lab::web::charts::{
    self, Scale, colors,
    grad_bars::{GradBarsData, draw_grad_bars},
    loss::{LossData, draw_loss},
};
use rnn_lab::web::lab::Lab;
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

/// Pixels within a small distance of `c` (anti-aliasing blends the edges).
fn count_color(px: &[u8], c: plotters::style::RGBColor) -> usize {
    px.chunks(4)
        .filter(|p| {
            p[3] == 255
                && (p[0] as i32 - c.0 as i32).abs() <= 6
                && (p[1] as i32 - c.1 as i32).abs() <= 6
                && (p[2] as i32 - c.2 as i32).abs() <= 6
        })
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
fn loss_chart_draws_the_training_of_a_real_lab() {
    let mut lab = Lab::new(JsValue::UNDEFINED).unwrap();
    let empty = canvas(640, 360);
    assert_eq!(ink(&pixels(&empty)), 0, "a new canvas is blank");
    charts::loss::draw_loss_chart(&empty, lab.loss_history(500.0).unwrap(), Some(1.0)).unwrap();
    let px = pixels(&empty);
    assert!(ink(&px) > 500, "axes and the 'train' message are drawn");
    assert_eq!(count_color(&px, colors::LOSS), 0, "no loss line yet");

    lab.train(300.0).unwrap();
    let c = canvas(640, 360);
    charts::loss::draw_loss_chart(&c, lab.loss_history(500.0).unwrap(), Some(1.0)).unwrap();
    let px = pixels(&c);
    assert!(
        ink(&px) > (640 * 360) / 100,
        "at least 1% of the canvas is ink"
    );
    assert!(count_color(&px, colors::LOSS) > 200, "the loss line");
    assert!(count_color(&px, colors::SMOOTH) > 200, "the smooth line");
}

#[wasm_bindgen_test]
fn loss_chart_marks_clipping_and_skips_non_finite_points() {
    let n = 50;
    let data = LossData {
        iteration: (1..=n).map(f64::from).collect(),
        loss: (1..=n)
            .map(|i| {
                if i == 20 {
                    f64::NAN
                } else {
                    10.0 / f64::from(i)
                }
            })
            .collect(),
        smooth_loss: (1..=n).map(|i| 9.0 - 0.1 * f64::from(i)).collect(),
        clip_fired: (1..=n).map(|i| i % 5 == 0).collect(),
        title: Some("clipping".into()),
    };
    let c = canvas(800, 400);
    draw_loss(&c, &data, Scale { dpr: 1.0 }).unwrap();
    let px = pixels(&c);
    assert!(count_color(&px, colors::EVENT) > 50, "clip ticks drawn");
    let mut no_clip = data.clone();
    no_clip.clip_fired.clear();
    let c2 = canvas(800, 400);
    draw_loss(&c2, &no_clip, Scale { dpr: 1.0 }).unwrap();
    assert_eq!(count_color(&pixels(&c2), colors::EVENT), 0, "no ticks");
}

#[wasm_bindgen_test]
fn grad_bars_draw_every_bar_and_highlight_the_current_step() {
    let lab = Lab::new(JsValue::UNDEFINED).unwrap();
    let grads: serde_json::Value =
        serde_wasm_bindgen::from_value(lab.gradients().unwrap()).unwrap();
    let norms: Vec<f64> = grads["dh_norms"].as_array().unwrap()[1..]
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert_eq!(norms.len(), 4);
    let c = canvas(600, 320);
    let data = js(json!({"values": norms, "highlight": 2}));
    charts::grad_bars::draw_grad_bars_chart(&c, data, Some(1.0)).unwrap();
    let px = pixels(&c);
    let highlighted = count_color(&px, colors::EVENT);
    let others = count_color(&px, colors::GRADIENT);
    assert!(highlighted > 300, "highlighted bar: {highlighted} px");
    assert!(others > 3 * 100, "the other three bars: {others} px");

    // Without a highlight, no bar is in the event colour.
    let c2 = canvas(600, 320);
    draw_grad_bars(
        &c2,
        &GradBarsData {
            values: norms.clone(),
            ..Default::default()
        },
        Scale { dpr: 1.0 },
    )
    .unwrap();
    assert_eq!(count_color(&pixels(&c2), colors::EVENT), 0);
}

#[wasm_bindgen_test]
fn grad_bars_show_exploded_values_without_failing() {
    let c = canvas(600, 320);
    draw_grad_bars(
        &c,
        &GradBarsData {
            values: vec![1.0, f64::INFINITY, f64::NAN, 2.0],
            ..Default::default()
        },
        Scale { dpr: 1.0 },
    )
    .unwrap();
    assert!(ink(&pixels(&c)) > 1000);
}

#[wasm_bindgen_test]
fn charts_refuse_bad_data_and_unsized_canvases() {
    let c = canvas(300, 200);
    let err =
        charts::loss::draw_loss_chart(&c, JsValue::from_str("garbage"), Some(1.0)).unwrap_err();
    assert!(message(err).contains("loss chart: bad data"));
    let err = charts::grad_bars::draw_grad_bars_chart(&c, js(json!({"values": "no"})), Some(1.0))
        .unwrap_err();
    assert!(message(err).contains("gradient bars chart: bad data"));
    let zero = canvas(0, 0);
    let err = draw_loss(&zero, &LossData::default(), Scale { dpr: 1.0 }).unwrap_err();
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
