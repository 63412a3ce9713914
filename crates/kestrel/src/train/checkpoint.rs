//! Training state saved at the end of every epoch, so an interrupted run resumes where it
//! stopped: the model (weights and parameters), the optimiser state and the progress so far.

use super::TrainOptions;
use super::lock::RunLock;
use super::optimizer;
use crate::error::{Error, Result, io_error};
use crate::model::Model;
use crate::model_file::write_atomic;
use burn::optim::ModuleOptimizer;
use kestrel_metrics::{EpochRecord, plot_training_curve};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Progress of a training run.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TrainState {
    /// Epochs completed.
    pub epochs_done: usize,
    /// Best validation error so far.
    pub best_error: Option<f64>,
    /// The epoch that reached it.
    pub best_epoch: Option<usize>,
    /// One record per completed epoch.
    pub records: Vec<EpochRecord>,
    /// Training seconds so far.
    pub seconds: f64,
    /// Training images processed so far.
    pub images: u64,
}

/// The files of one training run, in the folder `<model file>.training/`.
#[derive(Debug, Clone)]
pub struct RunFiles {
    /// The folder.
    pub dir: PathBuf,
    /// The final model.
    pub final_model: PathBuf,
    /// The model with the best validation error.
    pub best_model: PathBuf,
}

impl RunFiles {
    /// The run files for a final model written to `out`.
    pub fn new(out: &Path) -> Self {
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "model".into());
        let dir = out.with_file_name(format!("{name}.training"));
        let stem = out
            .file_stem()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "model".into());
        let ext = out
            .extension()
            .map(|e| format!(".{}", e.to_string_lossy()))
            .unwrap_or_default();
        Self {
            best_model: out.with_file_name(format!("{stem}.best{ext}")),
            final_model: out.to_path_buf(),
            dir,
        }
    }

    /// The model checkpointed after `epoch`. Each epoch's checkpoint files have their own
    /// names and the state file, written last, names the current epoch: a run killed while
    /// it writes a checkpoint resumes from the previous, complete one.
    pub fn checkpoint_model(&self, epoch: usize) -> PathBuf {
        self.dir.join(format!("checkpoint-{epoch:04}.kmodel"))
    }

    /// The optimiser state (burnpack) checkpointed after `epoch`.
    pub fn checkpoint_optimizer(&self, epoch: usize) -> PathBuf {
        self.dir.join(format!("optimizer-{epoch:04}.bpk"))
    }

    /// The checkpointed model the state file names, to resume from.
    pub fn resume_model(&self) -> Result<PathBuf> {
        Ok(self.checkpoint_model(self.load_state()?.epochs_done))
    }

    /// Removes the checkpoint files of epochs other than `epoch` (once the state file names
    /// `epoch`, they are no longer needed).
    pub fn remove_other_checkpoints(&self, epoch: usize) -> Result<()> {
        let keep = [
            self.checkpoint_model(epoch),
            self.checkpoint_optimizer(epoch),
        ];
        let entries = std::fs::read_dir(&self.dir).map_err(io_error(&self.dir))?;
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            let is_checkpoint = (name.starts_with("checkpoint-") && name.ends_with(".kmodel"))
                || (name.starts_with("optimizer-") && name.ends_with(".bpk"));
            if is_checkpoint && !keep.contains(&path) {
                std::fs::remove_file(&path).map_err(io_error(&path))?;
            }
        }
        Ok(())
    }

    /// Refuses to start a new run (not resumed, not overwriting) over an existing final or
    /// best model.
    pub fn check_new(&self, options: &TrainOptions) -> Result<()> {
        if options.resume || options.overwrite {
            return Ok(());
        }
        match [&self.final_model, &self.best_model]
            .into_iter()
            .find(|p| p.exists())
        {
            Some(path) => Err(Error::AlreadyExists { path: path.clone() }),
            None => Ok(()),
        }
    }

    /// Ends an epoch of a run: adds its `record`, makes `snapshot` the best model when the
    /// record's validation error beats the best so far, then writes the epoch's checkpoint
    /// (model, then optimiser), the state file naming it last, removes older checkpoints
    /// and redraws the curve. A run killed anywhere in here resumes from a complete
    /// checkpoint.
    pub(crate) fn end_epoch(
        &self,
        state: &mut TrainState,
        record: EpochRecord,
        snapshot: &Model,
        optim: &ModuleOptimizer,
    ) -> Result<()> {
        if let Some(err) = record.validation_error
            && state.best_error.is_none_or(|best| err < best)
        {
            state.best_error = Some(err);
            state.best_epoch = Some(record.epoch);
            snapshot.save(&self.best_model, true)?;
        }
        state.epochs_done = record.epoch;
        state.records.push(record);
        snapshot.save(&self.checkpoint_model(state.epochs_done), true)?;
        optimizer::save(optim, &self.checkpoint_optimizer(state.epochs_done))?;
        self.save_state(state)?;
        self.remove_other_checkpoints(state.epochs_done)?;
        plot_training_curve(&state.records, &self.curve())?;
        Ok(())
    }

    /// Holds the run folder for this process until the lock is dropped.
    pub fn lock(&self) -> Result<RunLock> {
        RunLock::acquire(self.dir.clone())
    }

    /// The checkpointed progress.
    pub fn state(&self) -> PathBuf {
        self.dir.join("state.json")
    }

    /// One JSON line per epoch.
    pub fn log(&self) -> PathBuf {
        self.dir.join("log.jsonl")
    }

    /// Loss and validation error against epochs.
    pub fn curve(&self) -> PathBuf {
        self.dir.join("training_curve.png")
    }

    /// Writes the progress (atomically) and the log.
    pub fn save_state(&self, state: &TrainState) -> Result<()> {
        let json = serde_json::to_vec_pretty(state).expect("state serialises");
        write_atomic(&self.state(), &json)?;
        let log: String = state
            .records
            .iter()
            .map(|r| serde_json::to_string(r).expect("record serialises") + "\n")
            .collect();
        write_atomic(&self.log(), log.as_bytes())
    }

    /// Reads the progress of an earlier run.
    pub fn load_state(&self) -> Result<TrainState> {
        let path = self.state();
        if !path.exists() {
            return Err(Error::Dataset(format!(
                "nothing to resume: {} does not exist (start without --resume)",
                path.display()
            )));
        }
        let bytes = std::fs::read(&path).map_err(io_error(&path))?;
        serde_json::from_slice(&bytes).map_err(|e| Error::ModelFile {
            path,
            message: format!("damaged training state: {e}"),
        })
    }
}
