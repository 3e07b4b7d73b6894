//! The check every HTTP test ends with: the roster Manage Users reads equals what the members
//! and invitations derive.

use super::TestApp;

impl TestApp {
    /// Manage Users reads `roster`, which triggers keep up to date: after every test, whatever
    /// the test did, it must equal what `roster_source` derives from the members and
    /// invitations, and `roster_counts` must count it.
    pub async fn assert_roster_exact(&self) {
        let table = self
            .texts("SELECT * FROM roster ORDER BY row_kind, row_id")
            .await;
        let source = self
            .texts("SELECT * FROM roster_source ORDER BY row_kind, row_id")
            .await;
        assert_eq!(table, source, "roster differs from roster_source");
        let counted = self
            .texts("SELECT workspace_id, COUNT(*) FROM roster GROUP BY workspace_id ORDER BY 1")
            .await;
        let kept = self
            .texts("SELECT workspace_id, n FROM roster_counts WHERE n <> 0 ORDER BY 1")
            .await;
        assert_eq!(kept, counted, "roster_counts differs from the roster");
    }

    /// Every value of every row, as text (NULL as "NULL"), whatever the engine's types.
    async fn texts(&self, sql: &str) -> Vec<Vec<String>> {
        use sqlx::Row;
        let rows = sqlx::query(sql)
            .fetch_all(self.state.db.pool())
            .await
            .expect(sql);
        rows.iter()
            .map(|row| {
                (0..row.columns().len())
                    .map(|i| {
                        let text = |v: Option<String>| v.unwrap_or_else(|| "NULL".to_owned());
                        row.try_get::<Option<i64>, _>(i)
                            .map(|v| text(v.map(|v| v.to_string())))
                            .or_else(|_| {
                                row.try_get::<Option<i32>, _>(i)
                                    .map(|v| text(v.map(|v| v.to_string())))
                            })
                            .or_else(|_| row.try_get::<Option<String>, _>(i).map(text))
                            .expect("an integer or a text")
                    })
                    .collect()
            })
            .collect()
    }
}
