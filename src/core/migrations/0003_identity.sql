CREATE TABLE core_users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('staff', 'citizen')),
  role text NOT NULL CHECK (role IN ('admin', 'executive', 'office_manager', 'officer', 'citizen')),
  email text CHECK (email IS NULL OR email = lower(email)),
  phone text CHECK (phone IS NULL OR phone ~ '^0[0-9]{9}$'),
  national_id text CHECK (national_id IS NULL OR national_id ~ '^[0-9]{13}$'),
  display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
  password_hash text NOT NULL,
  office_id uuid REFERENCES core_offices (id),
  locale text NOT NULL DEFAULT 'th' CHECK (locale IN ('th', 'en')),
  consent_at timestamptz,
  disabled_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (email IS NOT NULL OR phone IS NOT NULL),
  CHECK ((kind = 'citizen') = (role = 'citizen')),
  -- Staff other than the system admin and executives work for one office.
  CHECK (kind = 'citizen' OR role IN ('admin', 'executive') OR office_id IS NOT NULL)
);
CREATE UNIQUE INDEX core_users_email_key ON core_users (email) WHERE email IS NOT NULL;
CREATE UNIQUE INDEX core_users_phone_key ON core_users (phone) WHERE phone IS NOT NULL;
CREATE UNIQUE INDEX core_users_national_id_key ON core_users (national_id) WHERE national_id IS NOT NULL;

-- Only hashes of secrets are stored: a leaked table opens no session.
CREATE TABLE core_sessions (
  id_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES core_users (id) ON DELETE CASCADE,
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  ip text,
  user_agent text
);
CREATE INDEX core_sessions_user_idx ON core_sessions (user_id);

CREATE TABLE core_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES core_users (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  expires_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX core_tokens_user_idx ON core_tokens (user_id);
