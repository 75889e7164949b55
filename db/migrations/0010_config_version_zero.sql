-- The configuration "in force" on a new installation is the built-in defaults, which are no
-- saved version: config_version 0. It used to start at 1 while config_versions was empty, so
-- the first version an admin saved (id 1) looked applied already and was never applied.
-- Databases in that state are repaired here: version 1 counts as in force only when it exists
-- and its settings and weights are the ones actually in force; otherwise it becomes pending
-- (the recompute job applies it) or, with no versions at all, the defaults are in force.
UPDATE `scoring_settings` SET `config_version` = 0
 WHERE `id` = 1 AND `config_version` = 1 AND NOT EXISTS (
   SELECT 1 FROM `config_versions` v
    WHERE v.`id` = 1
      AND json_extract(v.`snapshot`, '$.settings.windowDays') = `scoring_settings`.`window_days`
      AND json_extract(v.`snapshot`, '$.settings.compareDays') = `scoring_settings`.`compare_days`
      AND json_extract(v.`snapshot`, '$.settings.thresholds.churnRiskMax') = `scoring_settings`.`churn_risk_max`
      AND json_extract(v.`snapshot`, '$.settings.thresholds.mediumFrom') = `scoring_settings`.`medium_from`
      AND json_extract(v.`snapshot`, '$.settings.thresholds.highFrom') = `scoring_settings`.`high_from`
      AND json_extract(v.`snapshot`, '$.settings.thresholds.powerAbove') = `scoring_settings`.`power_above`
      AND json_extract(v.`snapshot`, '$.settings.decline.declinePercent') = `scoring_settings`.`decline_percent`
      AND json_extract(v.`snapshot`, '$.settings.decline.declinePoints') = `scoring_settings`.`decline_points`
      AND NOT EXISTS (
        SELECT 1 FROM json_each(v.`snapshot`, '$.types') t JOIN `event_types` e ON e.`key` = t.`key`
         WHERE e.`weight_hundredths` <> json_extract(t.`value`, '$.weightHundredths')
            OR e.`active` <> json_extract(t.`value`, '$.active')
      )
 );
