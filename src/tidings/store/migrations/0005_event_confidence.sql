-- Event confidence: the calibrated probability that a coded event is right
--
-- Set by the pipeline's confidence stage (tidings.coding's confidence scorer)
-- for every coded event.  Events below the default threshold
-- (tidings.model.DEFAULT_MIN_CONFIDENCE) stay here but are left out of the
-- default view.  NULL for imported events and for events coded before this
-- migration: they read back as 1.0 (no stage of ours scored them) and are
-- never hidden by the threshold.
ALTER TABLE events ADD COLUMN confidence DOUBLE;
