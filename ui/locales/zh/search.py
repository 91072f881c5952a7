"""Chinese strings of the Search page."""

STRINGS = {
    # a result's row in the user's own file
    "row {n:,} of the file": "文件第 {n:,} 行",
    "Search": "搜索",
    "No dataset to search yet: load one on the Data page.": "还没有可搜索的数据集：请先在数据页加载一个。",
    "Collection": "文本集",
    "The texts to search: every split of a stored dataset, labelled or not.": "要搜索的文本：已存数据集的所有划分，有无标签均可。",
    "Compare with run": "与另一个运行对比",
    "This index is out of date (the collection, the run's weights or the studio changed since it was built); it is built again.": (
        "这个索引已过期（建立之后，文本集合、运行的权重或工作室本身有了变化）；正在重新建立。"
    ),
    "(none)": "（无）",
    "Results": "结果数",
    "Sheet": "工作表",
    "Embedding the collection in the background": "正在后台为文本集计算向量",
    "Building the search index failed: {error}": "构建搜索索引失败：{error}",
    "Build the search index": "构建搜索索引",
    "Embeds every text of the collection once with {run}, in the background; the index is kept in the run folder.": (
        "在后台用 {run} 为文本集的每条文本计算一次向量；索引保存在运行文件夹中。"
    ),
    "Only these labels": "只看这些标签",
    "Only these languages": "只看这些语言",
    "Variety ↔ relevance": "多样性 ↔ 相关性",
    "1 ranks by relevance alone; lower values also push results apart (maximal marginal relevance).": (
        "1 表示只按相关性排序；更低的值会让结果彼此更不同（最大边际相关性）。"
    ),
    "Query (Chinese or English)": "查询（中文或英文）",
    "e.g. {example}": "例如：{example}",
    "a few words, or a whole text": "几个词，或一整段文本",
    "More like #{id}": "与 #{id} 相似的文本",
    "Results for your query": "查询结果",
    "More like this": "查找相似文本",
    "Type a query, or pick “More like this” on a result.": "输入查询，或在某条结果上点“查找相似文本”。",
    "Read it whole ({n:,} characters)": "阅读全文（{n:,} 个字符）",
    "The exact text, to copy": "原文（可复制）",
    "Words of the collection that start with it: {words}.": "文本集中以它开头的词：{words}。",
    "{shared} of the top {k} are in both runs' results.": "前 {k} 条中有 {shared} 条同时出现在两个运行的结果里。",
    "1 of the top {k} is in both runs' results.": "前 {k} 条中有 1 条同时出现在两个运行的结果里。",
    "Each model scores on its own scale: compare the texts and their order, not the scores across columns.": (
        "两个模型的分数各有尺度：请比较结果的文本和排序，不要跨列比较分数。"
    ),
    "More like this text": "查找与这条文本相似的",
    "Opens Search with this text as the query: the nearest texts by meaning, in any collection.": (
        "以这条文本为查询打开搜索页：在任意文本集中找出语义最相近的文本。"
    ),
    "Find similar texts": "查找相似文本",
    "#{n} · {label} read as {pred} ({confidence})": "#{n} · {label} 被判为 {pred}（{confidence}）",
    "neighbour {n}": "近邻 {n}",
    "{name} (uploaded)": "{name}（已上传）",
    "No dataset to search yet: load one on the Data page, or add a file of texts below.": (
        "还没有可搜索的数据集：在“数据”页面载入一个，或在下方添加文本文件。"
    ),
    "The texts to search: every split of a stored dataset, or a file of texts you added (labels optional).": (
        "要搜索的文本：已存数据集的全部划分，或你添加的文本文件（标签可有可无）。"
    ),
    "Add a file of texts to search": "添加要搜索的文本文件",
    "One text per line (.txt), or a table with a text column (CSV, TSV, JSON, JSONL, Excel, Parquet)": (
        "每行一条文本（.txt），或带文本列的表格（CSV、TSV、JSON、JSONL、Excel、Parquet）"
    ),
    "Add {file}": "添加 {file}",
    "Clear the selection": "清除所选",
    "More like the selected texts": "与所选文本相似",
    "Chinese": "中文",
    "English": "英文",
    "Japanese": "日文",
    "Korean": "韩文",
    "mixed": "混合",
    "other": "其他",
    "{name} (uploaded) · {rows:,} texts": "{name}（已上传）· {rows:,} 条",
    "{name} · {rows:,} texts": "{name} · {rows:,} 条",
    "Added {file}: {rows:,} text(s) to search.": "已添加 {file}：{rows:,} 条可搜索的文本。",
    "More like the {n:,} texts selected on the map (the middle of their vectors).": (
        "与地图上所选 {n:,} 条文本相似的文本（以它们向量的中心为查询）。"
    ),
    "all languages": "全部语言",
    "all labels": "全部标签",
    "1 ranks by relevance alone; lower values also push results apart (maximal marginal relevance), "
    "so a result may rank above a closer one that repeats what is already shown.": (
        "1 只按相关度排序；更小的值还会让结果彼此拉开（最大边际相关），所以某条结果可能排在一条更接近、"
        "但与已显示内容重复的结果之前。"
    ),
    "More like #{id}: “{snippet}”": "与第 {id} 条相似：“{snippet}”",
    "Remove the uploaded collection “{name}”": "移除已上传的文本集“{name}”",
    "Forgets the file, and the search indexes built from it in every run folder.": (
        "删除该文件，以及各运行文件夹中用它建立的搜索索引。"
    ),
    " · in both": " · 两边都有",
    "Only {share:.0%} of the query's words are in this model's vocabulary, so the results below say little about it.": (
        "查询中只有 {share:.0%} 的词在这个模型的词表里，下面的结果说明不了什么。"
    ),
    "None of the query's words are in this model's vocabulary: it cannot place the query, so no "
    "results are shown.": "查询中的词都不在这个模型的词表里：模型无法理解这个查询，所以不显示结果。",
    "Try words from the collection's language.": "请试试文本集所用语言的词。",
    "The model reads this collection's texts well; these words are simply new to it: try others.": (
        "模型能读懂这个集合的文本，只是没见过这些词：换些词试试。"
    ),
    "The model learned from other texts, perhaps in another language: pick a run trained on texts like these.": (
        "这个模型是从别的文本（也许是另一种语言）学来的：请选一个在类似文本上训练的运行。"
    ),
    "The query has no words, only punctuation, symbols or emoji: there is nothing to search by, so no "
    "results are shown. Type a word or two.": "查询里没有词，只有标点、符号或表情：没有可以用来搜索的内容，所以不显示结果。请输入一两个词。",
    "The query is in Traditional characters, and most of this collection in Simplified ones: the model reads a word "
    "in each script (服務, 服务) as two different words, so texts with the query's words rank lower than they should. "
    "Search in Simplified characters too.": (
        "查询用的是繁体字，而本文本集大多是简体字：模型把两种写法的同一个词（服務、服务）当作两个不同的词，"
        "所以含有查询词的文本排得比应有的靠后。请也用简体字搜索。"
    ),
    "The query is in Simplified characters, and most of this collection in Traditional ones: the model reads a word "
    "in each script (服务, 服務) as two different words, so texts with the query's words rank lower than they should. "
    "Search in Traditional characters too.": (
        "查询用的是简体字，而本文本集大多是繁体字：模型把两种写法的同一个词（服务、服務）当作两个不同的词，"
        "所以含有查询词的文本排得比应有的靠后。请也用繁体字搜索。"
    ),
    "The query is only common words (the, and, of, 的…), which say nothing about a topic: the results below are "
    "little better than a random pick. Add a word that says what you are looking for.": (
        "查询里只有常用虚词（the、and、of、的……），说明不了任何主题：下面的结果几乎等于随便挑的。"
        "请加一个能说明你要找什么的词。"
    ),
    "The model reads little of this collection's texts in the query's language: search them with a run trained on "
    "such texts.": "这个模型几乎读不懂本文本集中与查询同一语言的文本：请用在这类文本上训练的运行来搜索它们。",
    "Searching with the encoder of {run}": "使用运行“{run}”的编码器搜索",
    "Collection and settings": "文本集与设置",
    "Filters": "筛选",
    "a typical text here scores {score:.2f}": "此文本集中一条普通文本的得分约为 {score:.2f}",
    "Build the search index of the run to compare": "为用来对比的运行建立搜索索引",
    "No results: no other text of the collection passes the filters.": "没有结果：集合中没有其他文本符合筛选条件。",
    "pretrained on masked words: it finds texts worded alike": "以掩码词预训练：找用词相近的文本",
    "trained to tell {classes} apart: it finds texts alike in that respect": "为区分{classes}而训练：按这一点找相似的文本",
    " and {n} more": "及另外 {n} 类",
    "its vectors come from the words alone, not the classes: it finds texts worded alike": (
        "其向量只来自词语、与类别无关：找用词相近的文本"
    ),
    "MiniLM's own sentence vectors, not trained on the classes: it finds texts alike in general meaning": (
        "MiniLM 自带的句向量、未按类别训练：找大意相近的文本"
    ),
    "its members' vectors side by side: it finds texts alike in wording and in what tells {classes} apart": (
        "各成员的向量并列：找用词相近、且在区分{classes}上相似的文本"
    ),
    "This model knows none of the words of the selected texts: it cannot place them, so no "
    "results are shown. Pick a run trained on texts like these.": (
        "这个模型不认识所选文本中的任何词：它无法定位这些文本，因此不显示结果。请选择在类似文本上训练的运行。"
    ),
    "The query is typed in full-width letters (as a Chinese input method's full-width mode types them), and the "
    "model knows these words in plain letters: search for {plain}.": (
        "查询是用全角字母输入的（中文输入法的全角模式会这样输入），而模型认得这些词的半角写法：请搜索 {plain}。"
    ),
}
