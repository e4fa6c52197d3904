-- What the temporal API needs to answer for an entity deleted through the API: its history stays in
-- ctx_attr_history, and this row keeps what the history does not have (its types, when it was created,
-- when it was deleted), so GET /temporal/entities/{id} can still answer with `deletedAt`. Written by the
-- statement that deletes the entity; kept when the id is created again (the current state is used then)
-- and replaced by a later deletion; removed with the entity's whole history (DELETE /temporal/entities/{id}).
CREATE TABLE ctx_deleted_entities (
  tenant text NOT NULL,
  id text NOT NULL,
  types text[] NOT NULL,
  created_at timestamptz NOT NULL,
  deleted_at timestamptz NOT NULL,
  PRIMARY KEY (tenant, id)
);
