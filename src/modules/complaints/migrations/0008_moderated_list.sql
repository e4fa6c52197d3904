-- Staff list the texts already decided (approved or hidden), most recently decided first
-- (GET /api/complaints/moderation?state=approved|hidden); the pending queue has its own index (0006).
CREATE INDEX complaints_requests_moderated_idx ON complaints_requests (moderation, moderated_at DESC)
  WHERE moderation <> 'pending';
