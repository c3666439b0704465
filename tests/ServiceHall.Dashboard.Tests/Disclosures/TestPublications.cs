namespace ServiceHall.Dashboard.Tests.Disclosures;

/// <summary>
/// Publications as the server's open-data JSON (camelCase, indented, Chinese unescaped), in the shape of
/// server/Domain/Publication.cs. Version 2 of 2026-10 corrects version 1: one more rating, one more 差评.
/// </summary>
internal static class TestPublications
{
    public const string PeriodKey = "2026-10";
    public const string PeriodLabel = "2026年10月";
    public const string Correction = "第2版：补录10月31日自助终端离线期间的1条评价（原因：终端离线缓存延迟上传）。变更：评价数 41 → 42，差评数 2 → 3。";

    public static readonly DateTimeOffset PublishedV1 = new(2026, 10, 31, 16, 5, 0, TimeSpan.Zero); // 2026-11-01 00:05 in Shanghai
    public static readonly DateTimeOffset PublishedV2 = new(2026, 11, 3, 1, 30, 0, TimeSpan.Zero);  // 2026-11-03 09:30

    public static string Version1 => Document(1, PublishedV1, null, ratings: 41, good: 39, bad: 2, badRate: "4.9%", goodRate: "95.1%", goodPercent: "95.1", badPercent: "4.9", extraBadReview: false);

    public static string Version2 => Document(2, PublishedV2, Correction, ratings: 42, good: 39, bad: 3, badRate: "7.1%", goodRate: "92.9%", goodPercent: "92.9", badPercent: "7.1", extraBadReview: true);

    /// <summary>Both versions of 2026-10 and one of 2026-09, as a fake server would hold them.</summary>
    public static void PublishAll(FakeDisclosureServer.FakeDisclosureService service)
    {
        service.Publish("2026-09", "2026年9月", 1, new DateTimeOffset(2026, 9, 30, 16, 5, 0, TimeSpan.Zero), null, Empty("2026-09", "2026年9月"));
        service.Publish(PeriodKey, PeriodLabel, 1, PublishedV1, null, Version1);
        service.Publish(PeriodKey, PeriodLabel, 2, PublishedV2, Correction, Version2);
    }

    private static string Document(
        int version, DateTimeOffset publishedAt, string? correction, int ratings, int good, int bad, string badRate, string goodRate,
        string goodPercent, string badPercent, bool extraBadReview)
    {
        var extra = extraBadReview
            ? """
              ,
                  {
                    "ratedOn": "2026-10-31",
                    "department": "区行政审批服务局",
                    "window": "A01 综合受理窗口",
                    "serviceItem": "企业设立登记",
                    "level": "非常不满意",
                    "reasons": [ "等候时间长", "态度不好" ],
                    "text": "排队两个小时，工作人员说\"明天再来\"，电话***",
                    "outcome": "处理中（待核实）"
                  }
              """
            : "";
        // Version 2 is made after exclusions existed and states them; version 1 predates them and has no such figure.
        var excluded = version == 2
            ? """
               "excludedRatings": [ { "code": "Fabricated", "label": "刷评（虚假评价）", "count": 2 }, { "code": "Duplicate", "label": "重复评价", "count": 1 } ],
               "enquiries": [
                 { "code": "question", "label": "办事咨询", "doneLabel": "答复", "received": 12, "done": 11, "doneOnTime": 10, "medianWorkingDays": 1.5 },
                 { "code": "could_not_be_done_report", "label": "办不成事反映", "doneLabel": "办结", "received": 3, "done": 0, "doneOnTime": 0, "medianWorkingDays": null }
               ],
              """
            : "";
        var correctionJson = correction is null ? "null" : "\"" + correction.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
        return $$"""
            {
              "periodKey": "2026-10",
              "version": {{version}},
              "publishedAt": "{{publishedAt:yyyy-MM-ddTHH:mm:ss}}+00:00",
              "correction": {{correctionJson}},
              "content": {
                "periodKey": "2026-10",
                "periodLabel": "2026年10月",
                "firstDay": "2026-10-01",
                "lastDay": "2026-10-31",
                "districtRegionCode": "370104",{{excluded}}
                "headline": [
                  { "code": "rating_count", "name": "评价数", "formula": "评价数 = 期内评价条数（不含未评价，不含申诉成立的差评）", "numerator": {{ratings}}, "denominator": null, "percent": null, "insufficientSample": false, "display": "{{ratings}}" },
                  { "code": "active_rate", "name": "主动评价率", "formula": "主动评价率 = 主动评价数 ÷ 评价数", "numerator": 40, "denominator": {{ratings}}, "percent": 97.6, "insufficientSample": false, "display": "97.6%" },
                  { "code": "good_rate", "name": "好评率", "formula": "好评率 = (非常满意 + 满意 + 基本满意) ÷ 评价数", "numerator": {{good}}, "denominator": {{ratings}}, "percent": {{goodPercent}}, "insufficientSample": false, "display": "{{goodRate}}" },
                  { "code": "bad_rate", "name": "差评率", "formula": "差评率 = (不满意 + 非常不满意) ÷ 评价数", "numerator": {{bad}}, "denominator": {{ratings}}, "percent": {{badPercent}}, "insufficientSample": false, "display": "{{badRate}}" },
                  { "code": "not_rated_rate", "name": "未评率", "formula": "未评率 = 未评价的办件数 ÷ 提供评价的办件数", "numerator": 3, "denominator": 50, "percent": 6, "insufficientSample": false, "display": "6.0%" },
                  { "code": "rectified_rate", "name": "差评整改率", "formula": "差评整改率 = 已整改办结的差评数 ÷ 应整改的差评数", "numerator": 2, "denominator": 2, "percent": null, "insufficientSample": true, "display": "样本不足" },
                  { "code": "rectified_in_time_rate", "name": "按时整改率", "formula": "按时整改率 = 按期整改办结的差评数 ÷ 应整改的差评数", "numerator": 1, "denominator": 2, "percent": null, "insufficientSample": true, "display": "样本不足" },
                  { "code": "callback_rate", "name": "实名差评回访率", "formula": "实名差评回访率 = 已回访的实名差评数 ÷ 实名差评数", "numerator": 1, "denominator": 1, "percent": null, "insufficientSample": true, "display": "样本不足" },
                  { "code": "fix_satisfaction_rate", "name": "回访整改满意率", "formula": "回访整改满意率 = (满意 + 基本满意) ÷ 征询整改满意度的评价人数", "numerator": 0, "denominator": 0, "percent": null, "insufficientSample": true, "display": "样本不足" },
                  { "code": "appeal_upheld_count", "name": "申诉成立差评数", "formula": "申诉成立差评数 = 经督办人员认定为误评或恶意差评的差评数（不计入差评统计，记录保留）", "numerator": 1, "denominator": null, "percent": null, "insufficientSample": false, "display": "1" }
                ],
                "levels": [
                  { "code": "1", "label": "非常满意", "count": 30 },
                  { "code": "2", "label": "满意", "count": 7 },
                  { "code": "3", "label": "基本满意", "count": 2 },
                  { "code": "4", "label": "不满意", "count": 1 },
                  { "code": "5", "label": "非常不满意", "count": {{bad - 1}} }
                ],
                "channels": [
                  { "code": "Kiosk", "label": "政务服务大厅评价器", "count": {{ratings - 5}} },
                  { "code": "Sms", "label": "短信", "count": 5 }
                ],
                "departments": [
                  { "rank": 1, "code": "RSJ", "name": "区人力资源社会保障局", "ratings": 20, "goodRate": "100.0%", "badReviews": 0, "rectified": 0, "rectifiedInTimeRate": "样本不足", "goodRatings": 20, "badDue": 0, "rectifiedInTime": 0 },
                  { "rank": 2, "code": "XZSP", "name": "区行政审批服务局", "ratings": {{ratings - 20}}, "goodRate": "{{goodRate}}", "badReviews": {{bad}}, "rectified": 2, "rectifiedInTimeRate": "样本不足", "goodRatings": {{good - 20}}, "badDue": 2, "rectifiedInTime": 1 }
                ],
                "windows": [
                  { "rank": 1, "code": "370104-ZWZX/A05", "name": "槐荫区政务服务中心 A05 社保综合窗口", "ratings": 20, "goodRate": "100.0%", "badReviews": 0, "rectified": 0, "rectifiedInTimeRate": "样本不足" },
                  { "rank": 2, "code": "370104-ZWZX/A01", "name": "槐荫区政务服务中心 A01 综合受理窗口", "ratings": {{ratings - 20}}, "goodRate": "{{goodRate}}", "badReviews": {{bad}}, "rectified": 2, "rectifiedInTimeRate": "样本不足" }
                ],
                "trend": [
                  { "periodKey": "2026-05", "periodLabel": "2026年5月", "ratings": 0, "goodRate": "样本不足", "badReviews": 0 },
                  { "periodKey": "2026-06", "periodLabel": "2026年6月", "ratings": 0, "goodRate": "样本不足", "badReviews": 0 },
                  { "periodKey": "2026-07", "periodLabel": "2026年7月", "ratings": 12, "goodRate": "91.7%", "badReviews": 1 },
                  { "periodKey": "2026-08", "periodLabel": "2026年8月", "ratings": 25, "goodRate": "96.0%", "badReviews": 1 },
                  { "periodKey": "2026-09", "periodLabel": "2026年9月", "ratings": 33, "goodRate": "93.9%", "badReviews": 2 },
                  { "periodKey": "2026-10", "periodLabel": "2026年10月", "ratings": {{ratings}}, "goodRate": "{{goodRate}}", "badReviews": {{bad}} }
                ],
                "badReviewReasons": [
                  { "code": "wait", "label": "等候时间长", "count": {{bad}} },
                  { "code": "attitude", "label": "态度不好", "count": 1 }
                ],
                "badReviews": [
                  {
                    "ratedOn": "2026-10-09",
                    "department": "区行政审批服务局",
                    "window": "A01 综合受理窗口",
                    "serviceItem": "食品经营许可",
                    "level": "不满意",
                    "reasons": [ "等候时间长" ],
                    "text": "材料一次性告知不清，跑了两趟。",
                    "outcome": "立行立改，已办结",
                    "disposition": "立行立改",
                    "whatWasDone": "已更新一次性告知单",
                    "rectifiedOn": "2026-10-10",
                    "workingDaysTaken": 1,
                    "onTime": true,
                    "calledBack": "是",
                    "citizenVerdict": "满意"
                  },
                  {
                    "ratedOn": "2026-10-20",
                    "department": "区行政审批服务局",
                    "window": "A01 综合受理窗口",
                    "serviceItem": "",
                    "level": "非常不满意",
                    "reasons": [ "等候时间长", "态度不好" ],
                    "text": "",
                    "outcome": "限期整改，已办结",
                    "disposition": "限期整改",
                    "whatWasDone": "已增开一个窗口",
                    "rectifiedOn": "2026-10-28",
                    "workingDaysTaken": 6,
                    "onTime": false,
                    "calledBack": "匿名",
                    "citizenVerdict": "匿名，未征询"
                  }{{extra}}
                ]
              }
            }
            """;
    }

    /// <summary>A month without a single rating: every rate 样本不足, every table empty.</summary>
    public static string Empty(string periodKey, string periodLabel) => $$"""
        {
          "periodKey": "{{periodKey}}", "version": 1, "publishedAt": "2026-09-30T16:05:00+00:00", "correction": null,
          "content": {
            "periodKey": "{{periodKey}}", "periodLabel": "{{periodLabel}}", "firstDay": "2026-09-01", "lastDay": "2026-09-30",
            "districtRegionCode": "370104",
            "headline": [
              { "code": "rating_count", "name": "评价数", "formula": "评价数 = 期内评价条数（不含未评价，不含申诉成立的差评）", "numerator": 0, "denominator": null, "percent": null, "insufficientSample": false, "display": "0" },
              { "code": "good_rate", "name": "好评率", "formula": "好评率 = (非常满意 + 满意 + 基本满意) ÷ 评价数", "numerator": 0, "denominator": 0, "percent": null, "insufficientSample": true, "display": "样本不足" }
            ],
            "levels": [], "channels": [], "departments": [], "windows": [], "trend": [], "badReviewReasons": [], "badReviews": []
          }
        }
        """;
}
