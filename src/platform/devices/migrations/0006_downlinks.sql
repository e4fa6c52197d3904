-- Downlinks: commands an operator queues for a device, published to ChirpStack's MQTT integration
-- (`application/{applicationId}/device/{devEui}/command/down`) and followed through its txack/ack events.

-- The ChirpStack application a device belongs to; the downlink topic names it. Learnt from the
-- device's uplinks (deviceInfo.applicationId), so a device never heard from cannot be sent to yet.
ALTER TABLE dev_devices ADD COLUMN chirpstack_application_id text
  CHECK (chirpstack_application_id ~ '^[A-Za-z0-9_.:-]{1,100}$');

CREATE TABLE dev_downlinks (
  -- Also the ChirpStack queue item id: it is sent as the command's `id`, and txack/ack name it back.
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  device_id uuid NOT NULL REFERENCES dev_devices (id) ON DELETE CASCADE,
  f_port integer NOT NULL CHECK (f_port BETWEEN 1 AND 223),
  -- The FRMPayload as lower-case hex: 1 to 242 bytes (the LoRaWAN maximum at the fastest data rate).
  payload_hex text NOT NULL CHECK (payload_hex ~ '^([0-9a-f]{2}){1,242}$'),
  -- The declarative command it was encoded from, if any: {"name": ..., ...arguments}.
  command jsonb,
  confirmed boolean NOT NULL DEFAULT false,
  state text NOT NULL DEFAULT 'queued'
    CHECK (state IN ('queued', 'sent', 'acknowledged', 'failed', 'expired')),
  queued_by text,
  queued_by_label text,
  queued_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  -- Published to the broker (its PUBACK received) for this application.
  sent_at timestamptz,
  application_id text,
  -- From the txack event: the gateway took it for transmission.
  transmitted_at timestamptz,
  gateway_id text,
  f_cnt_down bigint,
  -- acknowledged, failed or expired.
  settled_at timestamptz,
  reason text
);
CREATE INDEX dev_downlinks_device_idx ON dev_downlinks (device_id, queued_at DESC);
-- The publisher's and the expiry sweep's work lists.
CREATE INDEX dev_downlinks_open_idx ON dev_downlinks (queued_at) WHERE state IN ('queued', 'sent');
