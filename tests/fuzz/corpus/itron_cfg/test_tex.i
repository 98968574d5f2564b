# 0 "test_tex.cfg"
# 1 "test_tex.cfg"
# 1 "test_tex.h" 1
# 3 "test_tex.cfg" 2
CRE_TSK(TASK1, { 0x02U, 1, task1, 10, 4096U, 
# 4 "test_tex.cfg" 3 4
                                                            ((void *)0) 
# 4 "test_tex.cfg"
                                                                 });
CRE_TSK(TASK2, { 0U, 2, task2, 9, 4096U, 
# 5 "test_tex.cfg" 3 4
                                                              ((void *)0) 
# 5 "test_tex.cfg"
                                                                   });
CRE_TSK(TASK3, { 0U, 3, task3, 11, 4096U, 
# 6 "test_tex.cfg" 3 4
                                                             ((void *)0) 
# 6 "test_tex.cfg"
                                                                  });
DEF_TEX(TASK1, { 0U, tex_task1 });
DEF_TEX(TASK2, { 0U, tex_task2 });
CRE_ALM(ALM1, { 0U, 1, alm1 });
