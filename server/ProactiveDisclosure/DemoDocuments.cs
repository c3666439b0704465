using ServiceHall.Server.Domain;

namespace ServiceHall.Server.ProactiveDisclosure;

/// <summary>
/// The demo district's 主动公开 documents: invented for demonstration, each flagged <see cref="DocumentContent.Demo"/> (the kiosk
/// and console show 演示数据) and titled "【演示】". Dates are set around the day the demo store is seeded, so some enterprise
/// policies are open for applications and one is closed.
/// </summary>
public static class DemoDocuments
{
    private const string Government = "济南市槐荫区人民政府办公室";
    private const string Prefix = "【演示】";

    public static IReadOnlyList<PublishedDocument> Make(DateOnly today, DateTimeOffset at)
    {
        var by = new Actor("demo-seed", CaseRole.DisclosureOffice);
        var documents = new List<PublishedDocument>();

        PublishedDocument Add(PublishedDocumentType type, string title, string body, Func<DocumentContent, DocumentContent>? shape = null)
        {
            var content = new DocumentContent(
                type, Prefix + title, Government, null, today.AddDays(-30), today.AddDays(-30), null, null, null, body, null, [], [], null,
                "https://www.huaiyin.gov.cn/", Demo: true);
            var document = PublishedDocument.Draft(Guid.CreateVersion7(at), shape?.Invoke(content) ?? content, by, at);
            document.SubmitForReview(by, at);
            document.Approve(by, secondOfficerReviews: false, "演示数据", at);
            document.Publish(by, at);
            documents.Add(document);
            return document;
        }

        Add(PublishedDocumentType.Guide, "槐荫区人民政府信息公开指南",
            "一、主动公开\n\n本机关主动公开的政府信息，通过区政府门户网站、政务服务中心政务公开专区等渠道公开。属于主动公开范围的政府信息，自该信息形成或者变更之日起20个工作日内予以公开。\n\n二、依申请公开\n\n公民、法人或者其他组织可以向本机关申请获取相关政府信息。申请可在政务公开专区的自助终端上提交。本机关收到申请后能够当场答复的当场答复；不能当场答复的，自收到申请之日起20个工作日内答复。\n\n三、监督方式\n\n认为本机关在政府信息公开工作中侵犯其合法权益的，可以向上一级行政机关或者政府信息公开工作主管部门投诉、举报，也可以依法申请行政复议或者提起行政诉讼。");
        Add(PublishedDocumentType.Catalogue, "槐荫区人民政府主动公开目录",
            "一、机构职能：机构设置、职能、办公地址、办公时间、联系方式、负责人姓名\n\n二、政策文件：行政规范性文件、政策解读\n\n三、规划信息：国民经济和社会发展规划、专项规划\n\n四、财政信息：财政预算、决算报告\n\n五、政务服务：办事指南、收费项目及依据、标准\n\n六、惠企政策：申请条件、申报材料清单、办理流程、承办部门联系方式、申请起止时间");

        var startUp = Add(PublishedDocumentType.Policy, "关于进一步支持小微企业吸纳就业的若干措施",
            "第一条 为稳定和扩大就业，支持小微企业吸纳高校毕业生等重点群体就业，制定本措施。\n\n第二条 对吸纳离校2年内未就业高校毕业生，与之签订1年以上劳动合同并按规定缴纳社会保险费的小微企业，按规定给予一次性吸纳就业补贴。\n\n第三条 本措施自发布之日起施行，有效期至2027年12月31日。",
            c => c with { DocumentNumber = "槐政办发〔2026〕8号", ExpiresOn = new DateOnly(2027, 12, 31), ServiceItemCodes = ["11370104MB2851302F000117030000"] });
        Add(PublishedDocumentType.Interpretation, "《关于进一步支持小微企业吸纳就业的若干措施》政策解读",
            "一、出台背景\n\n为落实国家和省市稳就业决策部署，帮助小微企业降低用工成本，区人力资源和社会保障局起草了本措施。\n\n二、主要内容\n\n小微企业吸纳离校2年内未就业高校毕业生并签订1年以上劳动合同的，可申请一次性吸纳就业补贴。\n\n三、解读机关及联系方式\n\n槐荫区人力资源和社会保障局就业科，电话 0531-00000000（演示号码）。",
            c => c with { IssuingBody = "槐荫区人力资源和社会保障局", InterpretsPolicyId = startUp.Id });

        var opening = Add(PublishedDocumentType.Policy, "槐荫区优化营商环境若干规定",
            "第一条 为持续优化营商环境，激发市场主体活力，制定本规定。\n\n第二条 企业开办实行“一窗受理、一次办结”，全程网上办理，一个工作日内办结。\n\n第三条 本规定自发布之日起施行。",
            c => c with { DocumentNumber = "槐政发〔2026〕3号", ServiceItemCodes = ["11370104MB2851301K000105001000"] });
        Add(PublishedDocumentType.Interpretation, "《槐荫区优化营商环境若干规定》政策解读",
            "一、制定目的\n\n进一步压缩企业开办时间，减少办事环节。\n\n二、企业能享受什么\n\n企业开办全程网上办理，一个工作日内办结，免费刻制首套印章。",
            c => c with { InterpretsPolicyId = opening.Id });

        EnterpriseTerms Terms(string conditions, string materials) => new(
            conditions, materials, "网上申报或到区政务服务中心综合窗口提交材料 → 主管部门审核（10个工作日）→ 公示5个工作日 → 拨付资金",
            "槐荫区人力资源和社会保障局，电话 0531-00000000（演示号码）");
        Add(PublishedDocumentType.EnterprisePolicy, "2026年小微企业一次性吸纳就业补贴申报",
            "对符合条件的小微企业，按每人1000元的标准给予一次性吸纳就业补贴。",
            c => c with
            {
                ApplyFrom = today.AddDays(-10), ApplyUntil = today.AddDays(20),
                Terms = Terms("注册地在槐荫区的小微企业；吸纳离校2年内未就业高校毕业生并签订1年以上劳动合同；按规定缴纳社会保险费。", "1. 申请表\n2. 劳动合同复印件\n3. 社会保险缴费明细"),
                ServiceItemCodes = ["11370104MB2851302F000117030000"],
            });
        Add(PublishedDocumentType.EnterprisePolicy, "失业保险稳岗返还申报",
            "对不裁员或少裁员的参保企业，返还其上年度实际缴纳失业保险费的一定比例。",
            c => c with
            {
                ApplyFrom = today.AddDays(-40), ApplyUntil = today.AddDays(3),
                Terms = Terms("上年度足额缴纳失业保险费12个月以上；上年度未裁员或裁员率不高于规定标准。", "1. 稳岗返还申请表\n2. 企业银行账户信息"),
                ServiceItemCodes = ["11370104MB2851302F000117010000"],
            });
        Add(PublishedDocumentType.EnterprisePolicy, "创业担保贷款贴息申报（上一批次）",
            "对符合条件的创业担保贷款给予贴息。本批次申报已结束。",
            c => c with
            {
                ApplyFrom = today.AddDays(-90), ApplyUntil = today.AddDays(-30),
                Terms = Terms("在槐荫区创业且按期还款的借款人。", "1. 贴息申请表\n2. 还款凭证"),
                ServiceItemCodes = ["11370104MB2851302F000117020000"],
            });

        Add(PublishedDocumentType.PromiseCertificates, "槐荫区证明事项告知承诺制事项清单",
            "以下证明事项实行告知承诺制，申请人书面承诺符合条件的，不再索要证明：\n\n1. 公共场所卫生许可：卫生检测报告（承诺后由部门核查）\n\n2. 个体工商户设立登记：经营场所使用证明\n\n3. 失业登记：失业状态证明");
        Add(PublishedDocumentType.EnterpriseFees, "槐荫区涉企行政事业性收费目录清单",
            "1. 不动产登记费 — 依据：发改价格规〔2016〕2559号 — 标准：住宅80元/件，非住宅550元/件\n\n2. 特种设备检验检测费 — 依据：省定标准\n\n清单之外一律不得收费。");
        Add(PublishedDocumentType.ServiceModeList, "槐荫区“马上办、网上办、一次办”事项清单",
            "马上办：个体工商户设立登记、失业登记、《就业创业证》申领\n\n网上办：有限责任公司设立登记、企业简易注销登记、失业保险稳岗返还\n\n一次办：食品经营许可（新办）、公共场所卫生许可（新办）");
        return documents;
    }
}
