//! The "Recap" chapter's models as the page builds them: one typed setup per
//! kind (the data, the model's shape and seed, how it trains) that builds a
//! [`Trained`] model, so the boundary only forwards.
//!
//! ```text
//! perceptron   seeded separable cloud (60 points) · ŷ = g(θ₀ + x₁θ₁ + x₂θ₂) · full-batch Adam, lr 0.05
//! MLP          XOR blobs (200 points, σ = 0.35) · 2 → H → 2 · full-batch Adam, lr 0.05
//! word2vec     built-in corpus (or a given text) · CBOW or skip-gram · Adam, lr 0.05, batches of 64
//! text CNN     built-in sentiment phrases, 4 of 5 train, 1 of 5 test (the split the
//!              many-to-one RNN of "Types of RNN" shares: `sentiment::sentiment_split`) · Adam, lr 0.01, batches of 16
//! ```

use super::mlp::{Mlp, MlpConfig};
use super::pasted::check_corpus;
use super::perceptron::{Perceptron, PerceptronActivation};
use super::plane::Points;
pub use super::sentiment::SplitAccuracy;
use super::sentiment::sentiment_split;
use super::text::LabelledSet;
use super::text_cnn::{TextCnn, TextCnnConfig};
use super::trained::{TrainSetup, Trained};
use super::word2vec::{Word2Vec, Word2VecConfig};
use crate::engine::error::Result;
use crate::engine::optim::{OptimizerConfig, OptimizerKind};
use serde::{Deserialize, Serialize};

fn adam(learning_rate: f64, batch: usize) -> TrainSetup {
    TrainSetup {
        optimizer: OptimizerConfig::new(OptimizerKind::Adam, learning_rate),
        batch,
        clip_norm: 0.0,
        seed: 1,
    }
}

/// The perceptron's cloud, g, θ and learning rate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PerceptronSetup {
    /// Seed of the point cloud (and of θ when `theta` is None).
    pub seed: u64,
    pub points: usize,
    pub activation: PerceptronActivation,
    /// θ = [θ₀, θ₁, θ₂] to start from (None: drawn from the seed).
    pub theta: Option<[f64; 3]>,
    pub learning_rate: f64,
}

impl Default for PerceptronSetup {
    fn default() -> Self {
        Self {
            seed: 1,
            points: 60,
            activation: PerceptronActivation::Sigmoid,
            theta: None,
            learning_rate: 0.05,
        }
    }
}

impl PerceptronSetup {
    pub fn build(&self) -> Result<Trained<Perceptron>> {
        let points = Points::separable(self.seed, self.points)?;
        let mut m = Perceptron::new(points, self.activation, self.seed)?;
        if let Some(theta) = self.theta {
            m.set_theta(theta)?;
        }
        Trained::new(m, adam(self.learning_rate, 0))
    }
}

/// The MLP's XOR data, shape and learning rate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MlpSetup {
    /// H, g, the output layer and the seed of the weights.
    pub config: MlpConfig,
    /// Seed of the XOR blobs.
    pub data_seed: u64,
    pub points: usize,
    pub spread: f64,
    pub learning_rate: f64,
}

impl Default for MlpSetup {
    fn default() -> Self {
        Self {
            config: MlpConfig::default(),
            data_seed: 1,
            points: 200,
            spread: 0.35,
            learning_rate: 0.05,
        }
    }
}

impl MlpSetup {
    pub fn build(&self) -> Result<Trained<Mlp>> {
        let points = Points::xor(self.data_seed, self.points, self.spread)?;
        Trained::new(Mlp::new(self.config, points)?, adam(self.learning_rate, 0))
    }
}

/// word2vec's corpus, shape and training.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Word2VecSetup {
    pub config: Word2VecConfig,
    /// The text to learn from (None: the built-in corpus).
    pub corpus: Option<String>,
    pub learning_rate: f64,
    /// Examples per step (0: all).
    pub batch: usize,
}

impl Default for Word2VecSetup {
    fn default() -> Self {
        Self {
            config: Word2VecConfig::default(),
            corpus: None,
            learning_rate: 0.05,
            batch: 64,
        }
    }
}

impl Word2VecSetup {
    pub fn build(&self) -> Result<Trained<Word2Vec>> {
        let model = match &self.corpus {
            Some(text) => {
                check_corpus(text)?;
                Word2Vec::new(self.config, text)?
            }
            None => Word2Vec::builtin(self.config)?,
        };
        Trained::new(model, adam(self.learning_rate, self.batch))
    }
}

/// The text CNN's shape and training (the data is the built-in sentiment set).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TextCnnSetup {
    pub config: TextCnnConfig,
    pub learning_rate: f64,
    pub batch: usize,
}

impl Default for TextCnnSetup {
    fn default() -> Self {
        Self {
            config: TextCnnConfig::default(),
            learning_rate: 0.01,
            batch: 16,
        }
    }
}

/// A text CNN trained on the built-in sentiment split, with its test part.
#[derive(Debug, Clone)]
pub struct SentimentCnn {
    pub trained: Trained<TextCnn>,
    train: LabelledSet,
    test: LabelledSet,
}

impl TextCnnSetup {
    pub fn build(&self) -> Result<SentimentCnn> {
        let (train, test) = sentiment_split();
        let model = TextCnn::new(self.config.clone(), &train)?;
        Ok(SentimentCnn {
            trained: Trained::new(model, adam(self.learning_rate, self.batch))?,
            train,
            test,
        })
    }
}

impl SentimentCnn {
    /// The fraction right on the training and on the test phrases.
    pub fn accuracy(&self) -> SplitAccuracy {
        let m = self.trained.model();
        SplitAccuracy {
            train: m.accuracy(&self.train),
            test: m.accuracy(&self.test),
            train_size: self.train.examples.len(),
            test_size: self.test.examples.len(),
        }
    }

    /// Training steps per pass over the training phrases.
    pub fn steps_per_epoch(&self) -> usize {
        let b = self.trained.setup().batch;
        let n = self.train.examples.len();
        if b == 0 { 1 } else { n.div_ceil(b) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::activation::Activation;
    use crate::engine::models::word2vec::Architecture;
    use crate::engine::models::{Model, plane::PlotBox};

    #[test]
    fn the_perceptron_separates_its_cloud_and_starts_from_the_given_theta() {
        let setup = PerceptronSetup {
            theta: Some([0.5, 1.0, -1.0]),
            ..PerceptronSetup::default()
        };
        let mut t = setup.build().unwrap();
        assert_eq!(t.model().theta(), [0.5, 1.0, -1.0]);
        t.train(400).unwrap();
        assert_eq!(t.model().accuracy(), 1.0);
        let again = setup.build().unwrap();
        assert_eq!(again.model().theta(), [0.5, 1.0, -1.0], "seeded");
        let bad = PerceptronSetup {
            points: 1,
            ..PerceptronSetup::default()
        };
        assert!(bad.build().is_err());
        let bad = PerceptronSetup {
            theta: Some([f64::NAN, 0.0, 0.0]),
            ..PerceptronSetup::default()
        };
        assert!(bad.build().is_err());
    }

    #[test]
    fn the_mlp_solves_xor_in_300_steps() {
        // Stated: ≥ 95% with the defaults (H = 4, tanh) within 300 steps.
        let mut t = MlpSetup::default().build().unwrap();
        t.train(300).unwrap();
        assert!(t.model().accuracy() >= 0.95, "{}", t.model().accuracy());
        let s = t.model().snapshot(PlotBox::default(), 8, 8).unwrap();
        assert_eq!(s.hidden_lines.len(), 4);
        let relu = MlpSetup {
            config: MlpConfig {
                activation: Activation::Relu,
                hidden: 8,
                ..MlpConfig::default()
            },
            ..MlpSetup::default()
        };
        assert!(relu.build().is_ok());
        let bad = MlpSetup {
            config: MlpConfig {
                hidden: 40,
                ..MlpConfig::default()
            },
            ..MlpSetup::default()
        };
        assert!(bad.build().is_err());
    }

    #[test]
    fn word2vec_builds_on_the_corpus_or_a_given_text() {
        let w = Word2VecSetup::default().build().unwrap();
        assert!(w.model().vocab().len() > 100);
        let slide = Word2VecSetup {
            config: Word2VecConfig {
                dim: 3,
                architecture: Architecture::SkipGram,
                ..Word2VecConfig::default()
            },
            corpus: Some("The cat sat on floor".into()),
            batch: 0,
            ..Word2VecSetup::default()
        };
        let mut s = slide.build().unwrap();
        assert_eq!(s.model().vocab().len(), 5);
        assert_eq!(s.model().examples(), 2 + 3 + 4 + 3 + 2);
        let r = s.train(50).unwrap();
        assert!(r.loss.unwrap() < s.loss_curve(100).loss[0]);
        let empty = Word2VecSetup {
            corpus: Some("  ".into()),
            ..Word2VecSetup::default()
        };
        assert!(empty.build().is_err());
    }

    #[test]
    fn the_cnn_and_the_many_to_one_rnn_share_one_split() {
        use crate::engine::masked::examples::TypeKind;
        use crate::engine::views::types::{TypesModel, TypesSettings};
        let mut cnn = TextCnnSetup::default().build().unwrap();
        let mut rnn = TypesModel::new(TypesSettings {
            kind: TypeKind::ManyToOne,
            ..TypesSettings::default()
        })
        .unwrap();
        let texts = |s: &LabelledSet| -> Vec<String> {
            s.examples.iter().map(|e| e.words.join(" ")).collect()
        };
        let info = rnn.info();
        assert_eq!(texts(&cnn.train), info.train_texts);
        assert_eq!(texts(&cnn.test), info.test_texts);
        // The same number of passes over the 160 training phrases: 20 epochs each.
        cnn.trained.train(20 * cnn.steps_per_epoch()).unwrap();
        rnn.train(20 * info.train_items).unwrap();
        let (c, r) = (cnn.accuracy(), rnn.split_accuracy().unwrap().unwrap());
        assert_eq!((r.train_size, r.test_size), (c.train_size, c.test_size));
        let status = rnn.status().unwrap();
        assert_eq!(r.test, status.test.unwrap().accuracy);
        assert_eq!(r.train, status.train.accuracy);
        assert!(r.test > 0.6 && c.test > 0.6, "{c:?} {r:?}");
    }

    #[test]
    fn the_sentiment_cnn_reports_both_accuracies() {
        let mut cnn = TextCnnSetup::default().build().unwrap();
        let a = cnn.accuracy();
        assert_eq!((a.train_size, a.test_size), (160, 40));
        assert_eq!(cnn.steps_per_epoch(), 10);
        cnn.trained.train(30 * cnn.steps_per_epoch()).unwrap();
        let b = cnn.accuracy();
        assert!(b.train > 0.9 && b.test >= 0.8, "{b:?}");
    }
}
