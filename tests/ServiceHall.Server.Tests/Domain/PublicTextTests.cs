using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Tests.Domain;

public class PublicTextTests
{
    private static readonly string[] Identities = ["王芳", "HY0101"];

    [Theory]
    [InlineData("请回电13812345678", "13812345678")]
    [InlineData("电话 138 1234 5678 谢谢", "138 1234 5678")]
    [InlineData("电话 138-1234-5678", "138-1234-5678")]
    [InlineData("+86 13912345678", "13912345678")]
    [InlineData("座机0531-87654321", "87654321")]
    [InlineData("座机（0531）87654321", "87654321")]
    [InlineData("身份证号370104199001011234", "370104199001011234")]
    [InlineData("身份证37010419900101123X", "37010419900101123X")]
    [InlineData("老身份证370104900101123", "370104900101123")]
    [InlineData("窗口的王芳态度不好", "王芳")]
    [InlineData("工号HY0101的人离岗", "HY0101")]
    [InlineData("找了张主任也没用", "张主任")]
    [InlineData("刘师傅说明天再来", "刘师傅")]
    [InlineData("我叫李建国，等了两个小时", "李建国")]
    [InlineData("本人赵敏，材料被退回", "赵敏")]
    public void Scrub_TextWithIdentity_NothingIdentifyingLeft(string text, string secret)
    {
        var scrubbed = PublicText.Scrub(text, Identities);

        Assert.DoesNotContain(secret, scrubbed, StringComparison.OrdinalIgnoreCase);
        Assert.NotEqual(text, scrubbed);
    }

    [Fact]
    public void Scrub_OrdinaryComplaint_Unchanged()
    {
        const string text = "排队等了两个小时，只开了3个窗口，办事指南上的材料清单和窗口要求不一致。";

        Assert.Equal(text, PublicText.Scrub(text, Identities));
    }

    [Fact]
    public void Scrub_EverythingAtOnce_ReadableAndClean()
    {
        var scrubbed = PublicText.Scrub("我叫李建国，电话13812341234，身份证370104199001011234，王芳让我找张主任。", Identities);

        Assert.Equal("我叫某某，电话[电话已隐去]，身份证[证件号已隐去]，[工作人员]让我找某某主任。", scrubbed);
    }
}
