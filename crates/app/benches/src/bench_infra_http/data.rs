//! Data generation: the demo bundle found, then assets, work orders and their events bulk-inserted (SplitMix64, deterministic).

use super::*;

// ---------------------------------------------------------------------------------------------
// Data generation

/// SplitMix64: deterministic, so every run measures the same data.
pub(crate) struct Rng(pub(crate) u64);
impl Rng {
    pub(crate) fn u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub(crate) fn f64(&mut self) -> f64 {
        (self.u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.u64() % n as u64) as usize
    }
    pub(crate) fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
}

/// The demo bundle and who is in it.
pub(crate) struct Demo {
    pub(crate) bundle: i64,
    pub(crate) pref: i64,
    pub(crate) city: i64,
    pub(crate) jv: i64,
    /// (user id, login) of 静岡県・下田市・JV staff.
    pub(crate) pref_staff: (i64, String),
    pub(crate) city_staff: (i64, String),
    pub(crate) jv_staff: (i64, String),
}

pub(crate) async fn find_demo(db: &DatabaseConnection) -> Result<Demo> {
    let org = |name: &'static str| async move {
        organisation::Entity::find()
            .filter(organisation::Column::Name.eq(name))
            .one(db)
            .await?
            .map(|o| o.id)
            .with_context(|| format!("demo organisation {name} not found"))
    };
    let (pref, city, jv) = (org("静岡県").await?, org("下田市").await?, org("下田地域維持型JV").await?);
    let members = bundle_member::Entity::find().all(db).await?;
    let has = |b: i64, o: i64, r: BundleRole| {
        members.iter().any(|m| m.bundle_id == b && m.org_id == o && BundleRole::parse(&m.role) == Some(r))
    };
    let mut bundles: Vec<i64> = members.iter().map(|m| m.bundle_id).collect();
    bundles.sort_unstable();
    bundles.dedup();
    let bundle = bundles
        .into_iter()
        .find(|&b| {
            has(b, pref, BundleRole::Owner) && has(b, city, BundleRole::Owner) && has(b, jv, BundleRole::Contractor)
        })
        .context("no demo bundle with 静岡県 and 下田市 as owners and the JV as contractor")?;
    let login = |l: &'static str| async move {
        user::Entity::find()
            .filter(user::Column::Login.eq(l))
            .one(db)
            .await?
            .map(|u| (u.id, u.login))
            .with_context(|| format!("demo user {l} not found"))
    };
    Ok(Demo {
        bundle,
        pref,
        city,
        jv,
        pref_staff: login("pref-staff").await?,
        city_staff: login("shimoda-staff").await?,
        jv_staff: login("jv-staff").await?,
    })
}

pub(crate) async fn next_id<E: EntityTrait>(db: &DatabaseConnection, col: impl ColumnTrait) -> Result<i64> {
    let row =
        db.query_one(DbBackend::Sqlite.build(E::find().select_only().column_as(col.max(), "m").as_query())).await?;
    Ok(row.and_then(|r| r.try_get::<Option<i64>>("", "m").ok().flatten()).unwrap_or(0) + 1)
}

pub(crate) const LAT: (f64, f64) = (34.60, 34.75);
pub(crate) const LON: (f64, f64) = (138.85, 139.05);

pub(crate) struct Generated {
    pub(crate) assets: usize,
    pub(crate) orders: usize,
    pub(crate) events: usize,
    pub(crate) first_order_id: i64,
    pub(crate) took: Duration,
}

/// Bulk-generates assets, work orders and their events in one transaction. Ids are given
/// explicitly (after the demo's) so that orders can point at assets and events at orders.
pub(crate) async fn generate(db: &DatabaseConnection, d: &Demo, n_assets: usize, n_orders: usize) -> Result<Generated> {
    let start = Instant::now();
    let mut rng = Rng(0x7A8A_4E00_2025);
    let now = Utc::now();
    let first_asset = next_id::<asset::Entity>(db, asset::Column::Id).await?;
    let first_order = next_id::<wo::Entity>(db, wo::Column::Id).await?;
    let first_event = next_id::<ev::Entity>(db, ev::Column::Id).await?;
    let txn = db.begin().await?;

    // Assets: even index → 静岡県, odd → 下田市. Remember each one's position for the orders.
    let kinds = [
        ("bridge", "橋"),
        ("appendage", "道路照明"),
        ("appendage", "標識"),
        ("pavement", "舗装区間"),
        ("road", "道路区間"),
        ("tunnel", "トンネル"),
        ("park", "公園遊具"),
        ("river", "排水施設"),
    ];
    let routes_pref = ["国道135号", "国道136号", "国道414号", "県道下田松崎線", "県道下田石廊松崎線"];
    let routes_city = ["市道白浜中央線", "市道須崎線", "市道吉佐美線", "市道蓮台寺線", "市道柿崎線"];
    let mut points = Vec::with_capacity(n_assets);
    let mut batch = Vec::with_capacity(2000);
    for i in 0..n_assets {
        let pref_owned = i % 2 == 0;
        let (kind, label) = *rng.pick(&kinds);
        let route = *rng.pick(if pref_owned { &routes_pref } else { &routes_city });
        let lat = LAT.0 + rng.f64() * (LAT.1 - LAT.0);
        let lon = LON.0 + rng.f64() * (LON.1 - LON.0);
        points.push((lat, lon));
        let created = now - Span::days(rng.below(3650) as i64);
        batch.push(asset::ActiveModel {
            id: Set(first_asset + i as i64),
            owner_org_id: Set(if pref_owned { d.pref } else { d.city }),
            kind: Set(kind.into()),
            name: Set(format!("{route} {label} {}", i / 2 + 1)),
            name_kana: Set(None),
            route_name: Set(Some(route.into())),
            lat: Set(Some(lat)),
            lon: Set(Some(lon)),
            geometry: Set(None),
            year_built: Set((rng.f64() > 0.15).then(|| 1955 + rng.below(66) as i32)),
            attributes: Set((kind == "bridge").then(|| {
                format!("{{\"橋長_m\": {:.1}, \"幅員_m\": {:.1}}}", 5.0 + rng.f64() * 60.0, 4.0 + rng.f64() * 8.0)
            })),
            external_id: Set(Some(format!("B-{:06}", i))),
            created_at: Set(created),
            updated_at: Set(created),
        });
        if batch.len() == 2000 {
            asset::Entity::insert_many(std::mem::take(&mut batch)).exec_without_returning(&txn).await?;
        }
    }
    if !batch.is_empty() {
        asset::Entity::insert_many(batch).exec_without_returning(&txn).await?;
    }

    // Work orders over both owners and every status; events as the state machine would write.
    let categories =
        ["舗装補修", "照明施設修繕", "小規模施設修繕", "除草", "倒木処理", "側溝清掃", "防護柵補修", "標識清掃"];
    let issues = ["ポットホール", "ひび割れ", "不点灯", "曲損", "土砂堆積", "落ち葉詰まり", "段差", "枝の張り出し"];
    let urgencies = [
        Urgency::Emergency,
        Urgency::Early,
        Urgency::Early,
        Urgency::Normal,
        Urgency::Normal,
        Urgency::Normal,
        Urgency::Normal,
    ];
    let sources = ["owner", "patrol", "patrol", "contractor", "resident"];
    // (status, share in percent): mostly finished jobs, as in a ledger that has run for years.
    let statuses = [
        (Status::Received, 8),
        (Status::Instructed, 10),
        (Status::InProgress, 10),
        (Status::Reported, 10),
        (Status::Confirmed, 55),
        (Status::Cancelled, 5),
        (Status::Forwarded, 2),
    ];
    let mut orders = Vec::with_capacity(1000);
    let mut events: Vec<ev::ActiveModel> = Vec::with_capacity(3000);
    let mut n_events = 0usize;
    for i in 0..n_orders {
        let id = first_order + i as i64;
        let pref_owned = i % 2 == 0;
        let (owner, staff) = if pref_owned { (d.pref, &d.pref_staff) } else { (d.city, &d.city_staff) };
        let mut r = rng.below(100);
        let status = statuses
            .iter()
            .find(|(_, share)| {
                if r < *share {
                    true
                } else {
                    r -= share;
                    false
                }
            })
            .map(|s| s.0)
            .unwrap_or(Status::Confirmed);
        let urgency = *rng.pick(&urgencies);
        let category = *rng.pick(&categories);
        // 60 % on one of the owner's assets (near it), the rest anywhere.
        let (asset_id, lat, lon) = if n_assets >= 2 && rng.below(10) < 6 {
            let k = rng.below(n_assets / 2) * 2 + usize::from(!pref_owned);
            let (la, lo) = points[k];
            (Some(first_asset + k as i64), la + (rng.f64() - 0.5) * 0.0004, lo + (rng.f64() - 0.5) * 0.0004)
        } else {
            (None, LAT.0 + rng.f64() * (LAT.1 - LAT.0), LON.0 + rng.f64() * (LON.1 - LON.0))
        };
        let received = now - Span::minutes(rng.below(3 * 365 * 24 * 60) as i64);
        let reached = |s: Status| -> bool {
            let order = [Status::Received, Status::Instructed, Status::InProgress, Status::Reported, Status::Confirmed];
            let pos = |x: Status| order.iter().position(|o| *o == x);
            matches!((pos(status), pos(s)), (Some(a), Some(b)) if a >= b)
        };
        let step = |days: i64, from: DateTime<Utc>| (from + Span::hours(1 + (days * 24).max(1))).min(now);
        let instructed_at = reached(Status::Instructed).then(|| step(1, received));
        let started_at = reached(Status::InProgress).then(|| step(2, instructed_at.unwrap_or(received)));
        let reported_at = reached(Status::Reported).then(|| step(3, started_at.unwrap_or(received)));
        let confirmed_at = reached(Status::Confirmed).then(|| step(2, reported_at.unwrap_or(received)));
        let amount = instructed_at.map(|_| 20_000 + rng.below(480_000) as i64);
        let (l, m, k) = if reported_at.is_some() {
            (Some(10_000 + rng.below(200_000) as i64), Some(rng.below(80_000) as i64), Some(12_000))
        } else {
            (None, None, None)
        };
        let due = instructed_at.map(|t| (t + Span::days(urgency.default_business_days() as i64 * 7 / 5)).date_naive());
        let updated =
            [confirmed_at, reported_at, started_at, instructed_at].into_iter().flatten().next().unwrap_or(received);
        orders.push(wo::ActiveModel {
            id: Set(id),
            bundle_id: Set(d.bundle),
            owner_org_id: Set(owner),
            contractor_org_id: Set(Some(d.jv)),
            asset_id: Set(asset_id),
            status: Set(status.key().into()),
            urgency: Set(urgency.key().into()),
            source: Set((*rng.pick(&sources)).into()),
            category: Set(category.into()),
            description: Set(format!("{category}: {}（整理番号 {id}）", rng.pick(&issues))),
            instruction: Set(instructed_at.map(|_| format!("{category}を実施してください。"))),
            lat: Set(Some(lat)),
            lon: Set(Some(lon)),
            address: Set(Some(format!("下田市{}丁目{}番", 1 + rng.below(5), 1 + rng.below(40)))),
            due_on: Set(due),
            cost_labour: Set(l),
            cost_material: Set(m),
            cost_machinery: Set(k),
            cost_other: Set(None),
            cost_total: Set(l.map(|l| l + m.unwrap_or(0) + k.unwrap_or(0))),
            instructed_amount: Set(amount),
            received_at: Set(received),
            instructed_at: Set(instructed_at),
            reported_at: Set(reported_at),
            confirmed_at: Set(confirmed_at),
            created_by: Set(Some(staff.0)),
            updated_at: Set(updated),
            ..Default::default()
        });
        let mut push = |from: Option<Status>,
                        to: Status,
                        action: &str,
                        who: &(i64, String),
                        org: i64,
                        at: DateTime<Utc>,
                        reason: Option<&str>| {
            events.push(ev::ActiveModel {
                id: Set(first_event + n_events as i64),
                work_order_id: Set(id),
                from_status: Set(from.map(|s| s.key().to_string())),
                to_status: Set(to.key().into()),
                action: Set(action.into()),
                user_id: Set(Some(who.0)),
                actor: Set(who.1.clone()),
                org_id: Set(Some(org)),
                reason: Set(reason.map(str::to_string)),
                at: Set(at),
            });
            n_events += 1;
        };
        push(None, Status::Received, "receive", staff, owner, received, None);
        match status {
            Status::Cancelled => push(
                Some(Status::Received),
                status,
                "cancel",
                staff,
                owner,
                step(1, received),
                Some("重複した通報のため"),
            ),
            Status::Forwarded => push(
                Some(Status::Received),
                status,
                "forward",
                staff,
                owner,
                step(1, received),
                Some("国の管理区間のため"),
            ),
            _ => {
                if let Some(t) = instructed_at {
                    push(Some(Status::Received), Status::Instructed, "instruct", staff, owner, t, None);
                }
                if let Some(t) = started_at {
                    push(Some(Status::Instructed), Status::InProgress, "start", &d.jv_staff, d.jv, t, None);
                }
                if let Some(t) = reported_at {
                    push(Some(Status::InProgress), Status::Reported, "report", &d.jv_staff, d.jv, t, None);
                }
                if let Some(t) = confirmed_at {
                    push(Some(Status::Reported), Status::Confirmed, "confirm", staff, owner, t, None);
                }
            }
        }
        // 28 columns × 1,000 rows and 10 × 3,000 stay under SQLite's 32,766 parameters.
        if orders.len() == 1000 {
            wo::Entity::insert_many(std::mem::take(&mut orders)).exec_without_returning(&txn).await?;
        }
        if events.len() >= 3000 {
            // Orders first: events reference them (foreign key).
            if !orders.is_empty() {
                wo::Entity::insert_many(std::mem::take(&mut orders)).exec_without_returning(&txn).await?;
            }
            ev::Entity::insert_many(std::mem::take(&mut events)).exec_without_returning(&txn).await?;
        }
    }
    if !orders.is_empty() {
        wo::Entity::insert_many(orders).exec_without_returning(&txn).await?;
    }
    if !events.is_empty() {
        ev::Entity::insert_many(events).exec_without_returning(&txn).await?;
    }
    txn.commit().await?;
    Ok(Generated {
        assets: n_assets,
        orders: n_orders,
        events: n_events,
        first_order_id: first_order,
        took: start.elapsed(),
    })
}

/// A demo job of 静岡県 (so the actor is the owner and sees costs) with the most photos and
/// events and no resident report (whose reading would write an audit entry on every view).
pub(crate) async fn pick_order(db: &DatabaseConnection, d: &Demo, before: i64) -> Result<i64> {
    let orders = wo::Entity::find()
        .filter(wo::Column::Id.lt(before))
        .filter(wo::Column::OwnerOrgId.eq(d.pref))
        .filter(wo::Column::BundleId.eq(d.bundle))
        .all(db)
        .await?;
    let photos = photo::Entity::find().all(db).await?;
    let reports = resident_report::Entity::find().all(db).await?;
    let mut best: Option<(usize, usize, i64)> = None;
    for o in &orders {
        if reports.iter().any(|r| r.work_order_id == o.id) {
            continue;
        }
        let p = photos.iter().filter(|p| p.work_order_id == o.id).count();
        let e = ev::Entity::find().filter(ev::Column::WorkOrderId.eq(o.id)).count(db).await? as usize;
        if best.is_none_or(|b| (p, e) > (b.0, b.1)) {
            best = Some((p, e, o.id));
        }
    }
    best.map(|b| b.2).context("no demo work order of 静岡県 in the bundle")
}
