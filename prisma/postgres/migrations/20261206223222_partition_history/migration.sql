-- Raw SQL beside Prisma's migrations (Prisma does not model partitions): turns "Run", "StepRun"
-- and "RunEvent" into tables partitioned by the creation time of their run (README "Storage
-- layout"). `npm run db:migration -- <name> --partitioning` copies this file into a migration;
-- `npm run db:check` expects the catalog of Prisma's schema with this file applied.
--
-- Ids begin with their creation time (src/domain/ids.ts), and a step's id with its run's, so
-- "Run" and "StepRun" are partitioned by RANGE (id) and keep the primary keys Prisma declares;
-- "RunEvent" by RANGE ("runId"), its key widened to (seq, "runId"). Every row of a run thus lies
-- in its run's period. Existing rows move into monthly partitions (the maintenance job adds the
-- PARTITION_INTERVAL's from there on, around them); a DEFAULT partition per table takes the rest.

CREATE FUNCTION pg_temp.time_bound(prefix text, at timestamp) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  ms bigint := floor(extract(epoch FROM at) * 1000);
  digits text := '';
BEGIN
  FOR i IN 1..9 LOOP
    digits := substr('0123456789abcdefghijklmnopqrstuv', (ms % 32)::int + 1, 1) || digits;
    ms := ms / 32;
  END LOOP;
  RETURN prefix || '_' || digits;
END $$;

-- One partition of each table for [low, high), or the DEFAULT partitions when low is null.
CREATE FUNCTION pg_temp.create_partitions(suffix text, low timestamp, high timestamp) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  spec record;
BEGIN
  FOR spec IN SELECT * FROM (VALUES ('Run', 'run'), ('StepRun', 'step'), ('RunEvent', 'run')) AS s(parent, prefix) LOOP
    IF low IS NULL THEN
      EXECUTE format('CREATE TABLE %I PARTITION OF %I DEFAULT', spec.parent || '_' || suffix, spec.parent);
    ELSE
      EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)', spec.parent || '_' || suffix, spec.parent,
        pg_temp.time_bound(spec.prefix, low), pg_temp.time_bound(spec.prefix, high));
    END IF;
  END LOOP;
  -- A step name is unique within its run: all of a run's steps share its partition, so a unique
  -- index per partition says as much as one over the table (which would have to include id),
  -- and serves the lookups of a run's steps.
  EXECUTE format('CREATE UNIQUE INDEX %I ON %I ("runId", name)', 'StepRun_' || suffix || '_runId_name_key', 'StepRun_' || suffix);
END $$;

DO $$
DECLARE
  history constant text[] := ARRAY['Run', 'StepRun', 'RunEvent'];
  item record;
  month timestamp;
BEGIN
  CREATE TEMP TABLE history_foreign_keys ON COMMIT DROP AS
    SELECT owner.relname AS owner, c.conname AS name, pg_get_constraintdef(c.oid) AS definition
      FROM pg_constraint c JOIN pg_class owner ON owner.oid = c.conrelid JOIN pg_class target ON target.oid = c.confrelid
     WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace AND (owner.relname = ANY (history) OR target.relname = ANY (history));
  CREATE TEMP TABLE history_indexes ON COMMIT DROP AS
    SELECT tablename AS owner, indexname AS name, indexdef AS definition
      FROM pg_indexes WHERE schemaname = 'public' AND tablename = ANY (history) AND indexname NOT IN (SELECT tablename || '_pkey' FROM unnest(history) AS tablename);

  FOR item IN SELECT * FROM history_foreign_keys LOOP
    EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', item.owner, item.name);
  END LOOP;
  FOR item IN SELECT * FROM history_indexes LOOP
    IF item.definition LIKE 'CREATE UNIQUE %' AND item.name <> 'StepRun_runId_name_key' THEN
      RAISE EXCEPTION 'The unique index % cannot hold across the partitions of %: include the partition key or partition otherwise', item.name, item.owner;
    END IF;
    EXECUTE format('DROP INDEX %I', item.name);
  END LOOP;

  FOR item IN SELECT * FROM (VALUES ('Run', 'id', 'id'), ('StepRun', 'id', 'id'), ('RunEvent', '"runId"', 'seq, "runId"')) AS s(name, partition_key, primary_key) LOOP
    EXECUTE format('ALTER TABLE %I RENAME TO %I', item.name, item.name || '_unpartitioned');
    EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', item.name || '_unpartitioned', item.name || '_pkey');
    EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING GENERATED INCLUDING IDENTITY INCLUDING STORAGE INCLUDING COMMENTS) PARTITION BY RANGE (%s)',
      item.name, item.name || '_unpartitioned', item.partition_key);
    EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I PRIMARY KEY (%s)', item.name, item.name || '_pkey', item.primary_key);
  END LOOP;

  PERFORM pg_temp.create_partitions('default', NULL, NULL);
  FOR month IN
    SELECT generate_series(date_trunc('month', min("createdAt")), date_trunc('month', max("createdAt")), interval '1 month') FROM "Run_unpartitioned"
  LOOP
    PERFORM pg_temp.create_partitions('p' || to_char(month, 'YYYYMMDD'), month, month + interval '1 month');
  END LOOP;

  FOR item IN SELECT * FROM history_indexes WHERE name <> 'StepRun_runId_name_key' LOOP
    EXECUTE item.definition;
  END LOOP;
  INSERT INTO "Run" SELECT * FROM "Run_unpartitioned";
  INSERT INTO "StepRun" SELECT * FROM "StepRun_unpartitioned";
  INSERT INTO "RunEvent" SELECT * FROM "RunEvent_unpartitioned";
  DROP TABLE "RunEvent_unpartitioned", "StepRun_unpartitioned", "Run_unpartitioned";
  FOR item IN SELECT * FROM history_foreign_keys LOOP
    EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I %s', item.owner, item.name, item.definition);
  END LOOP;
END $$;
