-- The viewer profile a signed-in session is using. Every access token minted
-- from the family (sign-in, each refresh) carries it as the `pid` claim, so
-- switching profiles is an UPDATE of the family and survives token rotation.
-- Deleting the profile clears it (the session then has no active profile).
ALTER TABLE refresh_token_families ADD COLUMN active_profile_id uuid;
ALTER TABLE refresh_token_families
  ADD CONSTRAINT refresh_families_active_profile_fk
  FOREIGN KEY (active_profile_id, user_id) REFERENCES profiles (id, user_id) ON DELETE SET NULL (active_profile_id);
CREATE INDEX refresh_families_active_profile_idx ON refresh_token_families (active_profile_id) WHERE active_profile_id IS NOT NULL;
