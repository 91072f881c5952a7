"""Chinese strings: compare."""

STRINGS: dict[str, str] = {
    "vs baseline (pt)": "相对基线（百分点）",
    "The {shown} classes with the lowest F1 in any of these runs, of {total:,}; Evaluate lists every class.": (
        "显示 {total:,} 个类别中、在任一运行里 F1 最低的 {shown} 个；“评估”页列出了全部类别。"
    ),
    "An × marks a class a run never got right.": "× 表示某个运行从未预测对该类别。",
    "Download the board as CSV": "下载排行榜（CSV）",
    "Download the board as Markdown": "下载排行榜（Markdown）",
    "Settings trained with more than one seed: how far a score moves by chance alone. A gap between "
    "two runs smaller than this spread says little.": (
        "用多个随机种子训练过的设置：分数仅凭偶然会波动多少。两个运行之间的差距如果小于这个波动，就说明不了什么。"
    ),
    "setting": "设置",
    "runs": "运行",
    "Standard deviation of the accuracy over the seeds.": "各随机种子的准确率的标准差。",
    "Compare": "对比",
    "Pick a dataset first (Data page or the sidebar).": "请先选择一个数据集（在数据页面或侧边栏中）。",
    "No evaluated classification runs on this dataset yet: train a few on the Train page.": (
        "此数据集上还没有已评估的分类运行：请先在训练页面训练几个。"
    ),
    # the leaderboard: its column labels (the frame keeps English column names) and cells
    "Leaderboard": "排行榜",
    "Show the {n} run(s) made by experiments": "显示实验生成的 {n} 个运行",
    "Runs that label-efficiency experiments made (the quick one on the Compare page, or "
    "python -m core experiment), tagged 'experiment'.": (
        "标签效率实验生成的运行（“对比”页面上的快速实验，或 python -m core experiment），带“experiment”标记。"
    ),
    "Every evaluated run on this dataset, scored on the same test split. "
    "Click a column header to sort; tick rows to compare them below.": (
        "此数据集上所有已评估的运行，均在同一测试集上评分。点击列标题可排序；勾选行可在下方进行对比。"
    ),
    "{task} ({fraction:.0%} labels)": "{task}（{fraction:.0%} 标签）",
    "run": "运行",
    "notes": "备注",
    "name": "名称",
    "family": "编码器",
    "task": "任务",
    "parameters": "参数量",
    "accuracy": "准确率",
    "macro-F1": "宏平均 F1",
    "run time (s)": "运行用时（秒）",
    "From start to finish: reading the data, training, evaluating, and embedding the texts for the map.": (
        "从开始到结束：读取数据、训练、评估，以及为地图嵌入文本。"
    ),
    "latency (ms)": "延迟（毫秒）",
    "Median time to classify one text, after loading.": "模型加载后，分类一条文本的中位耗时。",
    "state": "状态",
    # curves and per-class F1
    "Learning curves": "学习曲线",
    "Validation accuracy per epoch": "每轮验证准确率",
    "F1 per class": "各类别 F1",
    # two runs head to head
    "Head to head: {a} vs {b}": "正面交锋：{a} 与 {b}",
    "the head-to-head": "正面交锋",
    "Agreement": "一致率",
    "McNemar p-value": "McNemar p 值",
    "Chance of a gap this big by luck (p-value)": "差距这么大纯属偶然的概率（p 值）",
    "Chance of a difference at least this large if both models were equally accurate.": (
        "若两个模型准确率相同，出现至少这么大差异的概率。"
    ),
    "Only {a} right: {only_a} · only {b} right: {only_b} · exact binomial test → significant at 5% alone; weak "
    "evidence with several runs compared.": (
        "仅“{a}”正确：{only_a} · 仅“{b}”正确：{only_b} · 精确二项检验 → 单看在 5% 水平上显著；比较了多个运行时证据较弱。"
    ),
    "Only {a} right: {only_a} · only {b} right: {only_b} · χ² test with continuity correction → significant at 5% "
    "alone; weak evidence with several runs compared.": (
        "仅“{a}”正确：{only_a} · 仅“{b}”正确：{only_b} · χ² 检验（含连续性校正）→ 单看在 5% 水平上显著；比较了多个运行时证据较弱。"
    ),
    "Only {a} right: {only_a} · only {b} right: {only_b} · exact binomial test → significant at 5%.": (
        "仅“{a}”正确：{only_a} · 仅“{b}”正确：{only_b} · 精确二项检验 → 在 5% 水平上存在显著差异。"
    ),
    "Only {a} right: {only_a} · only {b} right: {only_b} · exact binomial test → no significant difference at 5%.": (
        "仅“{a}”正确：{only_a} · 仅“{b}”正确：{only_b} · 精确二项检验 → 在 5% 水平上无显著差异。"
    ),
    "Only {a} right: {only_a} · only {b} right: {only_b} · χ² test with continuity correction → significant at 5%.": (
        "仅“{a}”正确：{only_a} · 仅“{b}”正确：{only_b} · χ² 检验（含连续性校正）→ 在 5% 水平上存在显著差异。"
    ),
    "Only {a} right: {only_a} · only {b} right: {only_b} · "
    "χ² test with continuity correction → no significant difference at 5%.": (
        "仅“{a}”正确：{only_a} · 仅“{b}”正确：{only_b} · χ² 检验（含连续性校正）→ 在 5% 水平上无显著差异。"
    ),
    "{n} test text(s) where they disagree": "两者预测不一致的测试文本：{n} 条",
    "text": "文本",
    "label": "标签",
    # the duel
    "Duel: one sentence, every chosen model": "对决：同一句话，交给每个选中的模型",
    "Sentence": "句子",
    "model (in the duel)": "模型",
    "prediction": "预测",
    "confidence": "置信度",
    # label-efficiency experiments
    "Pretrained vs scratch: label efficiency": "预训练与从零训练：标签效率",
    "Experiment {experiment}: {seeds} seed(s) per point, {steps} steps per run, pretrained run {pretrained}.": (
        "实验 {experiment}：每个点 {seeds} 个随机种子，每次运行 {steps} 步，预训练运行 {pretrained}。"
    ),
    "{seeds} seed(s) per point, {steps} training steps per run.": "每个点 {seeds} 个随机种子，每次运行训练 {steps} 步。",
    "Here the pretrained start learned slower than a random one, at {behind} of {shares} label shares: "
    "pretraining this short, on this little text, does not pay yet. It pays when the model is "
    "pretrained longer, on more text.": (
        "在 {shares} 个标签比例中，有 {behind} 个的预训练起点比随机初始化学得慢：这么短、这么少文本的预训练还不划算。"
        "在更多文本上预训练更久，才会有收益。"
    ),
    "from scratch": "从零训练",
    "{arm}: range over seeds": "{arm}：各种子的范围",
    "{arm}: mean": "{arm}：平均",
    "No label-efficiency experiment on this dataset yet.": "此数据集还没有标签效率实验。",
    "It trains a pretrained and a from-scratch Transformer on shares of the labels (1%, 5%, 20% and "
    "100%) with the same budget, and draws how accuracy grows with the labels in each arm. The quick "
    "version (the tiny Transformer, one seed: eight short runs) runs in the background, from a minute "
    "or two on the starter set's short sentences to about nine on BBC News's 2,125 articles on two CPU "
    "cores; the pages stay usable meanwhile.": (
        "实验在一部分标签上（1%、5%、20% 和 100%）用相同的训练预算，分别训练预训练起点和从零开始的 Transformer，"
        "并画出两者的准确率如何随标签增多而提高。快速版本（tiny Transformer，一个随机种子）在后台运行，"
        "共八次短训练：在两个 CPU 核上，入门数据集的短句需一两分钟，BBC News 的 2,125 篇文章约九分钟，期间各页面照常可用。"
    ),
    "No curve for {runs}: fitted in one go, or made of other runs, with no epochs to plot.": (
        "{runs} 没有曲线：一次拟合完成，或由其他运行组合而成，没有逐轮记录可画。"
    ),
    "One seed, scored on {n:,} test texts: a gap under about {points:.1f} pt between the two starts at a share "
    "could be chance (a rough bound from the test size alone, two standard errors; another seed moves each start "
    "too). The full experiment's three seeds narrow it.": (
        "只有一个种子，在 {n:,} 条测试文本上评分：同一份额下两种起点相差不到约 {points:.1f} 个百分点，可能只是偶然"
        "（仅由测试集大小估计的粗略界限，即两个标准误；换一个种子，两种起点的结果也都会变）。完整实验的三个种子会缩小这一范围。"
    ),
    "Both arms take the {preset} Transformer of the pretraining picked, so each of the eight runs takes longer "
    "than the tiny one's times above.": "两组都使用所选预训练的 {preset} Transformer，因此八个运行各自都比上面 tiny 的用时更长。",
    "Run it again (the quick version: the tiny Transformer, one seed), or the full one from the command line.": (
        "可以再运行一次（快速版本：tiny Transformer，一个随机种子），或在命令行中运行完整版本。"
    ),
    "Run the quick experiment": "运行快速实验",
    "The full experiment (three seeds, the mini Transformer: about an hour on a laptop CPU)": (
        "完整实验（三个随机种子，mini Transformer：在笔记本电脑 CPU 上约一小时）"
    ),
    "The last experiment did not finish: {error}": "上一次实验没有完成：{error}",
    "pretraining the Transformer it starts from": "正在预训练作为起点的 Transformer",
    "{done} of {planned} fine-tuning runs done": "已完成 {done} / {planned} 次微调运行",
    "Experiment running: {phase}": "实验进行中：{phase}",
    "The last experiment was stopped after {done} of its {planned} runs.": "上一次实验在计划的 {planned} 次运行中完成 {done} 次后被停止。",
    "It trains classifiers on shares of the labels, and this dataset has no labels: run it on a labelled one.": (
        "实验要在一部分标签上训练分类器，而这个数据集没有标签：请在带标签的数据集上运行。"
    ),
    "It trains classifiers on shares of the labels, and this dataset has one class: run it on one with two or more.": (
        "实验要在一部分标签上训练分类器，而这个数据集只有一个类别：请在有两个或更多类别的数据集上运行。"
    ),
    "This dataset has no labels: it is for pretraining. Compare classifiers on a labelled dataset.": (
        "这个数据集没有标签，用于预训练。请在带标签的数据集上比较分类器。"
    ),
    "gain from pretraining": "预训练带来的提升",
    "Accuracy of the pretrained start minus that of the scratch start, at the same share of labels.": (
        "在相同标签比例下，预训练起点的准确率减去从零开始的准确率。"
    ),
    "fine-tuned from {run}": "微调自 {run}",
    "fine-tuned from {run} (+{seconds:,.0f} s before)": "微调自 {run}（此前另用 {seconds:,.0f} 秒）",
    "plus {seconds:,.0f} s for members trained earlier": "另含此前训练的成员 {seconds:,.0f} 秒",
    "Tied at 1.0000 accuracy: {runs} get every test text right, so this test cannot tell them apart. Harder data, or fewer labels (the label-efficiency experiment below), will.": (
        "并列 1.0000 准确率：{runs} 答对了每一条测试文本，所以这个测试分不出它们的高下。更难的数据，或更少的标签（见下方的标签效率实验），才能分出来。"
    ),
    "{n} pretraining run(s) that did not finish left out: the experiment starts from a finished one (resume it on "
    "the Train page to finish it).": "已略去 {n} 个未完成的预训练运行：实验从已完成的预训练开始（可在训练页面继续它，使其完成）。",
    "{n} pretraining run(s) of other datasets left out: their vocabulary knows little of this one.": (
        "已略去其他数据集上的 {n} 个预训练运行：它们的词表对这个数据集了解很少。"
    ),
    "The pretraining's vocabulary knows {share:.0%} of this dataset's tokens: both arms read the rest as unknown (the scratch arm shares that vocabulary), so this curve says little about pretraining.": (
        "预训练的词表只认识这个数据集 {share:.0%} 的词元：两组都把其余的当作未知词读取（从零开始的一组也用同一个词表），所以这条曲线对预训练说明不了多少。"
    ),
    "(on {dataset})": "（在 {dataset} 上）",
    "Start the pretrained arm from": "预训练一方的起点",
    "a new quick pretraining (the tiny Transformer, 3 epochs)": "新做一次快速预训练（tiny Transformer，3 轮）",
    "The scratch arm gets the same vocabulary and budget; only the starting weights differ. A pretraining "
    "of your own that ran longer is a fairer test of what pretraining is worth.": (
        "从零训练的一方使用相同的词表和训练预算，只有起点权重不同。你自己训练得更久的预训练模型，更能公平地检验预训练的价值。"
    ),
    "Drawn from {done} of its {planned} runs: it did not run to its end.": (
        "根据计划的 {planned} 次运行中的 {done} 次绘制：实验没有运行到最后。"
    ),
    "Drawn from the {done} of its {planned} runs done so far.": "根据计划的 {planned} 次运行中目前已完成的 {done} 次绘制。",
    "pretrained": "预训练起点",
    "labels used": "使用的标签比例",
    "start": "起点",
    "training texts": "训练文本数",
    "seeds": "随机种子数",
    "accuracy, mean": "准确率均值",
    "± sd": "± 标准差",
    "lowest": "最低",
    "highest": "最高",
    "macro-F1, mean": "宏平均 F1 均值",
    "The {shown} classes the two models disagree on most, of {total:,}.": "两个模型分歧最多的 {shown} 个类别（共 {total:,} 个）。",
    "Left off the board: {n} run(s) trained on an earlier import of this dataset, scored on other test texts. "
    "Evaluate still shows each of them.": (
        "未列入排行榜：{n} 个运行训练于此数据集较早的一次导入，它们是在另一批测试文本上评分的。“评估”页面仍可查看它们。"
    ),
    "Queued or training on this dataset: {n} run(s), added to the board when finished.": (
        "此数据集上排队或训练中的运行：{n} 个，完成后会加入排行榜。"
    ),
    "Model A": "模型 A",
    "Model B": "模型 B",
    "They agree on every test text.": "它们在每条测试文本上都一致。",
    " Run {run} pretrained on {tokens} tokens for {epochs} epoch(s) and predicts {share} of masked tokens.": (
        "运行 {run} 在 {tokens} 个词元上预训练了 {epochs} 轮，能猜对 {share} 的掩码词元。"
    ),
    "The pretrained arm trails the scratch arm at {behind} of {shares} label shares: within {steps} "
    "steps, its start learned slower than a random one.{reached} Pretrain longer, on more text: on "
    "the Train page (task Pretrain, a time budget of 30 minutes) or from the command line (below); "
    "then start the pretrained arm from that run. Where pretraining paid in the studio's benchmarks, "
    "a mini was pretrained on 190,000-740,000 tokens for about 30 minutes.": (
        "在 {shares} 个标签比例中，有 {behind} 个比例下，从预训练开始的一方不如从零训练的一方：在 {steps} 步之内，"
        "它比随机初始化学得慢。"
        "{reached}请在更多文本上预训练更久：可在“训练”页面（任务选“预训练”，时间预算设为 30 分钟）或用命令行（见下）；"
        "然后让预训练一方从那次运行开始。在本工作室的基准测试中，预训练有收益时，mini 模型是在 19 万到 74 万个"
        "词元上预训练了约 30 分钟。"
    ),
    "member of {ensemble}": "{ensemble} 的成员",
    "vs baseline": "相对基线",
    "Accuracy in percentage points against the best TF-IDF + LR baseline on this dataset (the baseline itself: +0.0).": "与本数据集上最好的 TF-IDF + LR 基线相比的准确率差（百分点；基线自身为 +0.0）。",
    "%+.1f pt": "%+.1f 个百分点",
    "The classes are far apart in size, so accuracy mostly measures the largest; macro-F1 agrees on the leader.": (
        "各类别大小相差很大，所以准确率主要衡量的是最大的类别；按宏 F1 看，领先的也是同一个运行。"
    ),
    "The classes are far apart in size, so accuracy mostly measures the largest. By macro-F1, which weighs every "
    "class alike, {run} leads ({f1} against {other}).": (
        "各类别大小相差很大，所以准确率主要衡量的是最大的类别。按对每个类别一视同仁的宏 F1，{run} 领先（{f1} 对 {other}）。"
    ),
    "Tied for best at {accuracy} accuracy: {runs}.": "并列最佳（准确率 {accuracy}）：{runs}。",
    "The TF-IDF + LR baseline leads this board ({accuracy} accuracy): no encoder beats it yet.": (
        "TF-IDF + LR 基线领先（准确率 {accuracy}）：还没有编码器胜过它。"
    ),
    "Best: {run}, {accuracy} accuracy.": "最佳：{run}，准确率 {accuracy}。",
    "Best: {run}, {accuracy} accuracy, +{gain} pt over the baseline.": (
        "最佳：{run}，准确率 {accuracy}，比基线高 {gain} 个百分点。"
    ),
    "The model file of {runs} is damaged or missing: its scores stand, but it cannot classify the texts "
    "below. Start it again on the Train page.": (
        "{runs} 的模型文件已损坏或不见了：它的分数仍然有效，但无法对下面的文本分类。请在“训练”页面重新开始它。"
    ),
    "**{a}** and **{b}** are equally accurate on these {n:,} test texts.": (
        "在这 {n:,} 条测试文本上，**{a}** 和 **{b}** 一样准确。"
    ),
    "**{better}** is more accurate than **{worse}**, by {gain} pt on these {n:,} test texts, and the "
    "difference is unlikely to be chance ({p}).": (
        "在这 {n:,} 条测试文本上，**{better}** 比 **{worse}** 更准确，高 {gain} 个百分点，这个差别不太可能只是偶然（{p}）。"
    ),
    "**{better}** is more accurate than **{worse}**, by {gain} pt on these {n:,} test texts ({p}). With "
    "several runs compared, or another seed, a p between 0.005 and 0.05 is weak evidence.": (
        "在这 {n:,} 条测试文本上，**{better}** 比 **{worse}** 更准确，高 {gain} 个百分点（{p}）。"
        "比较的运行较多，或换一个随机种子时，介于 0.005 和 0.05 之间的 p 值只是较弱的证据。"
    ),
    "**{better}** is ahead of **{worse}** by {gain} pt on these {n:,} test texts; the gap may be more "
    "than chance, but it is weak evidence.": (
        "在这 {n:,} 条测试文本上，**{better}** 领先 **{worse}**，高 {gain} 个百分点；这个差距也许不只是偶然，但证据较弱。"
    ),
    "**{better}** is more accurate than **{worse}**, by {gain} pt on these {n:,} test texts, and the "
    "difference is more than chance.": (
        "在这 {n:,} 条测试文本上，**{better}** 比 **{worse}** 更准确，高 {gain} 个百分点，而且这个差别不是偶然。"
    ),
    "**{better}** is ahead of **{worse}** by {gain} pt on these {n:,} test texts, but a gap this small "
    "could be chance.": (
        "在这 {n:,} 条测试文本上，**{better}** 领先 **{worse}**，高 {gain} 个百分点，但这么小的差距可能只是偶然。"
    ),
    "**{better}** is ahead of **{worse}** by {gain} pt on these {n:,} test texts, but a gap this small "
    "could be chance ({p}).": (
        "在这 {n:,} 条测试文本上，**{better}** 领先 **{worse}**，高 {gain} 个百分点，但这么小的差距可能只是偶然（{p}）。"
    ),
    "These two runs were trained on different versions of this dataset (it was imported again "
    "between them, so its test texts or classes differ): they cannot be compared text by text. "
    "Pick two runs trained since the last import.": (
        "这两个运行训练于此数据集的不同版本（其间数据集被重新导入，测试文本或类别已不同），"
        "无法逐条文本对比。请选择两个在最近一次导入之后训练的运行。"
    ),
    "Best: {run}, {accuracy} accuracy, +{gain} pt over the baseline; a gap this small could be chance.": (
        "最佳：{run}，准确率 {accuracy}，比基线高 {gain} 个百分点；差距这么小，可能只是偶然。"
    ),
    "Best: {run}, {accuracy} accuracy, +{gain} pt over the baseline; a gap this small could be chance ({p}).": (
        "最佳：{run}，准确率 {accuracy}，比基线高 {gain} 个百分点；差距这么小，可能只是偶然（{p}）。"
    ),
    "your texts: a .txt file or a folder": "你的文本：一个 .txt 文件或一个文件夹",
}
