"""The warehouse schema, as an ordered list of forward migrations.

Version ``n`` is reached by running migrations ``1..n`` in order; each runs once and
is recorded in ``schema_version``. Never edit a released migration: add a new one.

Conventions every table follows
-------------------------------
* Areas are identified by ``area_id`` strings from :mod:`steppe.areas`: ISO3 for
  countries and territories (``KAZ``), ``M49:<code>`` for UN aggregates
  (``M49:900`` is the World) and ``OTHER`` for UN DESA's "other/unknown" origin.
* Every fact row carries ``release_id`` (join ``releases``) and ``load_id`` (join
  ``load_runs``): "where does this number come from?" is one join. The largest table,
  ``migrant_stock``, is a view of ``migrant_stock_facts``, which stores M49 codes, sex
  codes and a ``fact_loads`` key instead of the strings.
* ``sex`` is one of ``total``, ``male``, ``female``.
* Years are calendar years (UN DESA's mid-year 1 July dates become the year).
"""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: provenance and the first canonical facts
    """
    CREATE TABLE sources (
        dataset     VARCHAR PRIMARY KEY,  -- loader id, e.g. 'un_desa_stock'
        publisher   VARCHAR NOT NULL,
        title       VARCHAR NOT NULL,
        licence     VARCHAR NOT NULL,
        url         VARCHAR NOT NULL,     -- official landing or download page
        citation    VARCHAR NOT NULL
    );
    CREATE TABLE releases (
        release_id   VARCHAR PRIMARY KEY, -- '<dataset>@<edition>#<sha256[:12]>'
        dataset      VARCHAR NOT NULL,
        edition      VARCHAR NOT NULL,    -- e.g. '2024' (revision), '2021', '2025.12.1'
        file_name    VARCHAR NOT NULL,
        sha256       VARCHAR NOT NULL,
        size_bytes   BIGINT NOT NULL,
        retrieved_at TIMESTAMP NOT NULL,  -- when the bytes were fetched (or file mtime)
        url          VARCHAR NOT NULL,    -- where the bytes come from officially
        loaded_at    TIMESTAMP NOT NULL,
        code_version VARCHAR NOT NULL,
        UNIQUE (dataset, sha256)
    );
    CREATE TABLE load_runs (
        load_id     VARCHAR PRIMARY KEY,
        release_id  VARCHAR,              -- NULL when the file never got that far
        dataset     VARCHAR NOT NULL,
        file_name   VARCHAR NOT NULL,
        started_at  TIMESTAMP NOT NULL,
        finished_at TIMESTAMP,
        rows        BIGINT,
        status      VARCHAR NOT NULL,     -- 'loaded' | 'failed'
        message     VARCHAR               -- error message, or parse counts as JSON
    );
    CREATE TABLE areas (
        area_id   VARCHAR PRIMARY KEY,
        m49       INTEGER,
        iso3      VARCHAR,
        kind      VARCHAR NOT NULL,       -- 'country' | 'aggregate' | 'unknown'
        name_en   VARCHAR NOT NULL,
        name_ru   VARCHAR,
        name_kk   VARCHAR
    );
    CREATE TABLE area_groups (
        group_id  VARCHAR NOT NULL,       -- e.g. 'central_asia'
        area_id   VARCHAR NOT NULL
    );
    -- bilateral migrant stock: persons born in (or citizens of) origin living in destination
    CREATE TABLE migrant_stock (
        year        SMALLINT NOT NULL,
        origin      VARCHAR NOT NULL,
        destination VARCHAR NOT NULL,
        sex         VARCHAR NOT NULL,
        value       DOUBLE NOT NULL,
        release_id  VARCHAR NOT NULL,
        load_id     VARCHAR NOT NULL
    );
    -- any country-year indicator: population, migrant stock totals, remittances, GDP...
    CREATE TABLE area_indicator (
        area        VARCHAR NOT NULL,
        year        SMALLINT NOT NULL,
        indicator   VARCHAR NOT NULL,     -- e.g. 'population', 'migrant_stock_total'
        sex         VARCHAR NOT NULL,
        value       DOUBLE NOT NULL,
        unit        VARCHAR NOT NULL,     -- 'persons', 'usd', 'percent_gdp', ...
        release_id  VARCHAR NOT NULL,
        load_id     VARCHAR NOT NULL
    );
    -- any origin-destination-year indicator: remittances, refugees, distance...
    CREATE TABLE bilateral_indicator (
        origin      VARCHAR NOT NULL,
        destination VARCHAR NOT NULL,
        year        SMALLINT,             -- NULL for time-invariant (distance)
        indicator   VARCHAR NOT NULL,
        value       DOUBLE NOT NULL,
        unit        VARCHAR NOT NULL,
        release_id  VARCHAR NOT NULL,
        load_id     VARCHAR NOT NULL
    );
    """,
    # flows (issue 5): one row per estimation run, its estimates by corridor
    """
    CREATE TABLE flow_runs (
        run_id       VARCHAR PRIMARY KEY, -- hash of method, period, inputs, parameters, code
        method       VARCHAR NOT NULL,    -- 'demographic-accounting', 'stock-differencing', ...
        period_start SMALLINT NOT NULL,   -- mid-year (1 July) of the first stock table
        period_end   SMALLINT NOT NULL,
        revision     VARCHAR NOT NULL,    -- UN DESA stock revision, e.g. '2020'
        parameters   JSON NOT NULL,       -- every option of the estimator
        input_releases VARCHAR[] NOT NULL, -- release ids of every input row used
        created_at   TIMESTAMP NOT NULL,
        code_version VARCHAR NOT NULL
    );
    -- persons moving from origin to destination during the run's period (off-diagonal,
    -- non-zero cells only); lower/upper bound an interval where the method gives one
    CREATE TABLE flow_estimate (
        run_id      VARCHAR NOT NULL,
        origin      VARCHAR NOT NULL,
        destination VARCHAR NOT NULL,
        value       DOUBLE NOT NULL,
        lower       DOUBLE,
        upper       DOUBLE
    );
    """,
    # time-invariant country attributes (issue 6: CEPII geo_cepii): geography, languages,
    # colonial history. Multi-valued attributes (official languages) have one row per value.
    """
    CREATE TABLE area_attribute (
        area        VARCHAR NOT NULL,
        attribute   VARCHAR NOT NULL,     -- e.g. 'landlocked', 'area_km2', 'official_language'
        value       DOUBLE,               -- numeric attributes; NULL for text ones
        text        VARCHAR,              -- text attributes; NULL for numeric ones
        unit        VARCHAR NOT NULL,     -- 'km2', 'km', 'dummy', 'degrees', 'text'
        release_id  VARCHAR NOT NULL,
        load_id     VARCHAR NOT NULL
    );
    """,
    # 4: bilateral stocks stored with integer keys (M49 area codes, UN DESA sex codes, a
    # load key): a tenth of the storage and a quarter of the insert time of the string
    # columns. ``migrant_stock`` becomes a view with the same columns as before, so every
    # reader is unchanged; writers append to ``migrant_stock_facts``. ``areas`` has every
    # registry area (the writer session refreshes it) before this runs.
    """
    CREATE TABLE fact_loads (
        load_key    INTEGER PRIMARY KEY,  -- small key stored on compact fact rows
        load_id     VARCHAR NOT NULL UNIQUE,
        release_id  VARCHAR NOT NULL
    );
    CREATE TABLE migrant_stock_facts (
        year            SMALLINT NOT NULL,
        origin_m49      SMALLINT NOT NULL,  -- areas.m49
        destination_m49 SMALLINT NOT NULL,
        sex             UTINYINT NOT NULL,  -- UN DESA codes: 0 total, 1 male, 2 female
        value           DOUBLE NOT NULL,
        load_key        INTEGER NOT NULL    -- fact_loads.load_key
    );
    INSERT INTO fact_loads
        SELECT row_number() OVER (ORDER BY load_id), load_id, release_id
        FROM (SELECT load_id, any_value(release_id) AS release_id FROM migrant_stock GROUP BY load_id);
    INSERT INTO migrant_stock_facts
        SELECT s.year, o.m49, d.m49,
               CASE s.sex WHEN 'total' THEN 0 WHEN 'male' THEN 1 WHEN 'female' THEN 2 END,
               s.value, k.load_key
        FROM migrant_stock s JOIN areas o ON o.area_id = s.origin
        JOIN areas d ON d.area_id = s.destination JOIN fact_loads k USING (load_id);
    SELECT CASE WHEN (SELECT count(*) FROM migrant_stock)
                     <> (SELECT count(*) FROM migrant_stock_facts)
           THEN error('migrant_stock rows with an area id unknown to this steppe: '
                      'upgrade steppe before opening this warehouse') END;
    DROP TABLE migrant_stock;
    CREATE VIEW migrant_stock AS
        SELECT f.year, o.area_id AS origin, d.area_id AS destination,
               CASE f.sex WHEN 0 THEN 'total' WHEN 1 THEN 'male' ELSE 'female' END AS sex,
               f.value, k.release_id, k.load_id
        FROM migrant_stock_facts f
        JOIN areas o ON o.m49 = f.origin_m49
        JOIN areas d ON d.m49 = f.destination_m49
        JOIN fact_loads k ON k.load_key = f.load_key;
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)
