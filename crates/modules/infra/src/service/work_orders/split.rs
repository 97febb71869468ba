//! 分割発注 (splitting a job between two owners of the bundle): the yen apportioned exactly, one transaction.

use super::*;

/// Splits the amount by percent: the first share gets the remainder yen, so the parts add up.
pub fn apportion(total: i64, first_percent: i32) -> (i64, i64) {
    let second = total * i64::from(100 - first_percent) / 100;
    (total - second, second)
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct SplitForm {
    /// The other owner (another owner in the same bundle).
    pub other_owner_org_id: String,
    /// This owner's share in percent (1–99).
    pub share_percent: String,
}

/// 分割 (split): a job spanning two owners' roads becomes two jobs, one per owner, with the
/// apportionment recorded on both; each owner then instructs and confirms its own part.
pub async fn split<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    id: i64,
    f: &SplitForm,
) -> Result<wo::Model> {
    let txn = db.begin().await?;
    let w = find(&txn, ctx, id).await?;
    let side = access::side(ctx, &w);
    if side != Side::Owner {
        return Err(Error::forbidden(
            format!("分割できるのは管理者（{}）の担当者です", org_name(&txn, w.owner_org_id).await?),
            "Only the owner's staff may split the job",
        ));
    }
    if !Status::parse(&w.status).is_some_and(|s| crate::domain::can_split(s, side)) {
        return Err(Error::conflict(
            "分割できるのは受付・指示の段階の作業です",
            "Only received or instructed jobs can be split",
        ));
    }
    let mut p = Problems::default();
    let other = f.other_owner_org_id.trim().parse::<i64>().ok();
    let other_ok = match other {
        Some(o) if o != w.owner_org_id => {
            tabane_core::service::bundles::member_role(&txn, w.bundle_id, o).await? == Some(BundleRole::Owner)
        }
        _ => false,
    };
    if !other_ok {
        p.push(
            "other_owner_org_id",
            "分割先の管理者",
            "Other owner",
            "は同じ束の別の管理者を選んでください",
            "must be another owner in the bundle",
        );
    }
    let share = tabane_tabular::to_halfwidth_ascii(f.share_percent.trim())
        .trim_end_matches('%')
        .parse::<i32>()
        .ok()
        .filter(|s| (1..=99).contains(s));
    if share.is_none() {
        p.push(
            "share_percent",
            "按分（この管理者の割合）",
            "Share",
            "は1〜99の整数（%）で入力してください",
            "must be 1 to 99 percent",
        );
    }
    p.into_result()?;
    let (share, other) = (share.expect("checked"), other.expect("checked"));
    let (mine, theirs) = match w.instructed_amount {
        Some(a) => {
            let (x, y) = apportion(a, share);
            (Some(x), Some(y))
        }
        None => (None, None),
    };
    let now = Utc::now();
    let sibling = wo::ActiveModel {
        bundle_id: Set(w.bundle_id),
        owner_org_id: Set(other),
        contractor_org_id: Set(w.contractor_org_id),
        asset_id: Set(None),
        status: Set(Status::Received.key().into()),
        urgency: Set(w.urgency.clone()),
        source: Set(w.source.clone()),
        category: Set(w.category.clone()),
        description: Set(format!("【#{} から分割（按分 {}%）】{}", w.id, 100 - share, w.description)),
        instruction: Set(None),
        lat: Set(w.lat),
        lon: Set(w.lon),
        address: Set(w.address.clone()),
        due_on: Set(None),
        cost_labour: Set(None),
        cost_material: Set(None),
        cost_machinery: Set(None),
        cost_other: Set(None),
        cost_total: Set(None),
        instructed_amount: Set(theirs),
        split_of: Set(Some(w.id)),
        share_percent: Set(Some(100 - share)),
        received_at: Set(now),
        instructed_at: Set(None),
        reported_at: Set(None),
        confirmed_at: Set(None),
        created_by: Set(ctx.user_id),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let before = w.clone();
    let mut am: wo::ActiveModel = w.into();
    am.share_percent = Set(Some(share));
    am.instructed_amount = Set(mine);
    am.updated_at = Set(now);
    let after = am.update(&txn).await?;
    log_event(
        &txn,
        ctx,
        sibling.id,
        None,
        Status::Received,
        "split",
        Some(format!("#{id} から分割（按分 {}%）", 100 - share)),
    )
    .await?;
    log_event(
        &txn,
        ctx,
        id,
        Status::parse(&before.status),
        Status::parse(&before.status).unwrap_or(Status::Received),
        "split",
        Some(format!("#{} へ分割（この作業の按分 {share}%）", sibling.id)),
    )
    .await?;
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: Some(before.owner_org_id),
            bundle_id: Some(before.bundle_id),
            action: "split",
            entity: "infra_work_order",
            entity_id: id.to_string(),
            before: serde_json::to_value(&before).ok(),
            after: Some(serde_json::json!({ "original": after, "sibling": sibling })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(sibling)
}

#[cfg(test)]
mod apportion_tests {
    use super::apportion;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn parts_add_up_exactly(total in 0i64..1_000_000_000, share in 1i32..=99) {
            let (a, b) = apportion(total, share);
            prop_assert_eq!(a + b, total);
            prop_assert!(a >= 0 && b >= 0);
        }
    }
}
