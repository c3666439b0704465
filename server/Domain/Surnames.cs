namespace ServiceHall.Server.Domain;

/// <summary>
/// Chinese surnames the de-identification looks for (docs/rules/indicators-and-disclosure.md#de-identification):
/// the common single-character surnames (the most frequent ones in the Ministry of Public Security's 2020 name report
/// and the 百家姓 names still common today) and the compound surnames (复姓) still in use. Constants, because the
/// patterns that use them are compiled at build time.
/// </summary>
public static class Surnames
{
    /// <summary>Single-character surnames, most frequent first.</summary>
    public const string Single =
        "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖" +
        "石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷黎史龙陶贺顾毛郝龚邵万钱覃武戴孔汤庞樊兰殷施洪翟安颜倪严牛温芦季俞章鲁葛伍申尤毕" +
        "聂柴焦向柳邢岳齐梅莫庄辛管祝左涂谷祁时舒耿牟卜路詹关苗凌费纪靳盛童欧甄项曲成游阳裴席卫查屈鲍霍翁隋植甘景薄单包司柏宁柯阮" +
        "桂闵解强丛";

    /// <summary>Compound surnames, as alternatives of a regular expression.</summary>
    public const string Compound =
        "欧阳|司马|上官|诸葛|东方|皇甫|尉迟|公孙|慕容|长孙|宇文|司徒|夏侯|令狐|端木|独孤|" +
        "南宫|西门|轩辕|呼延|申屠|澹台|万俟|闻人|钟离|宗政|濮阳|淳于|太史|公冶|赫连|东郭|" +
        "百里|第五|拓跋|司空|仲孙|单于|公羊|谷梁|左丘|梁丘|亓官|羊舌|微生|鲜于|闾丘|子车|" +
        "巫马|公西|漆雕|乐正|壤驷|公良|段干|东门";

    /// <summary>
    /// The single surnames that are not also everyday words on their own (高兴, 马上, 方便, 时间, 流程, 支付, 主任…
    /// are left out): one of these followed by a given-name character reads as a full name.
    /// </summary>
    public const string Strong =
        "王李张刘陈杨黄赵吴周徐孙朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋杜叶魏苏吕丁卢姚沈钟姜崔谭陆范汪廖金韦贾夏邹熊" +
        "孟秦邱侯尹薛闫段雷黎史龙陶贺顾毛郝龚邵钱覃戴孔汤庞樊兰殷施洪翟颜倪牛温芦季俞章鲁葛伍申尤毕聂柴焦柳邢岳梅莫庄辛涂祁舒耿牟" +
        "卜詹苗凌费纪靳盛童欧甄项裴卫屈鲍霍翁隋植薄柯阮桂闵丛";

    /// <summary>Characters frequent in given names (伟, 芳, 敏, 建国…): what follows a surname in a full name.</summary>
    public const string GivenNameCharacters =
        "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建国文辉力鹏斌宇浩凯健俊帆帅旭宁婷雪琳晶燕丹玲倩颖慧莹鑫波宏峰林飞" +
        "云海亮成东志振兴春梅兰凤利忠福龙元胜学祥才贵荣彬晨瑶琴佳欣怡嘉博铭轩涵瑞睿梓晓翔岩淑珍芬薇蓉蕾璐婉洁琪雯锋毅坤鹤昊阳诚杨" +
        "松柏楠梦琦茜露菲雅晴";
}
