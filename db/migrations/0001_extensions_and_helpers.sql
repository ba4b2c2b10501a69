-- Extensions and the small SQL helpers the rest of the schema builds on.
-- Extensions live in `public` (what Neon allows and what the helpers below
-- reference by qualified name, so they never depend on a caller's search_path).

CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public;  -- digest(); gen_random_uuid() is core since PG 13
CREATE EXTENSION IF NOT EXISTS citext   WITH SCHEMA public;  -- case-insensitive unique emails
CREATE EXTENSION IF NOT EXISTS pg_trgm  WITH SCHEMA public;  -- fuzzy title and cast search
CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public;  -- accent-insensitive Latin search

-- Keeps updated_at honest whichever code path writes a row.
CREATE FUNCTION public.set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;

-- unaccent() is only STABLE (its dictionary could change), so it cannot appear
-- in an index or a generated column. Pinning the dictionary makes the result a
-- pure function of the input; a SQL-standard body is bound at creation time, so
-- search_path cannot redirect it later.
CREATE FUNCTION public.immutable_unaccent(input text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
RETURN public.unaccent('public.unaccent'::regdictionary, input);

-- Persian text arrives typed on Arabic keyboards as often as on Persian ones:
-- the same word can use ي/ی, ك/ک, ة/ه, with or without hamza forms, diacritics,
-- tatweel, and a zero-width non-joiner or a space between its parts. Search
-- folds all of them to one spelling. translate() maps each character of the
-- second argument to the one at the same position in the third and deletes
-- those past its end (the diacritics and the tatweel).
CREATE FUNCTION public.fold_persian(input text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
RETURN translate(
  input,
  -- ي ى ئ ك ة ۀ أ إ آ ٱ ؤ  ZWNJ  ٠-٩ Arabic-Indic digits  ۰-۹ Persian digits | deleted: tatweel, harakat, superscript alef
  U&'\064A\0649\0626\0643\0629\06C0\0623\0625\0622\0671\0624\200C\0660\0661\0662\0663\0664\0665\0666\0667\0668\0669\06F0\06F1\06F2\06F3\06F4\06F5\06F6\06F7\06F8\06F9\0640\064B\064C\064D\064E\064F\0650\0651\0652\0653\0654\0655\0670',
  U&'\06CC\06CC\06CC\06A9\0647\0647\0627\0627\0627\0627\0648\0020' || '01234567890123456789'
);

-- The one normalisation every search column and every search query goes
-- through: accents off, Persian folded, lower case, whitespace collapsed.
CREATE FUNCTION public.normalize_search_text(input text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
RETURN btrim(regexp_replace(lower(public.fold_persian(public.immutable_unaccent(input))), '\s+', ' ', 'g'));

-- Lets a single statement fail loudly from inside a WHERE clause (used where a
-- statement must run over Neon's HTTP driver, which has no interactive
-- transactions to check-then-act in). VOLATILE so the planner never evaluates
-- it early or skips it.
CREATE FUNCTION public.assert_true(condition boolean, message text) RETURNS boolean
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  IF condition IS NOT TRUE THEN
    RAISE EXCEPTION '%', message USING ERRCODE = 'P0001';
  END IF;
  RETURN true;
END;
$$;
